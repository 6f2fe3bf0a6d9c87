"""Scale-out: nginx in front of two web nodes, a task worker, PostgreSQL and Redis on
loopback; the deadline surge replayed through the balancer, one web node killed in the middle.

Run from the repository root (one command, about three minutes on 2 cores; needs Debian's
nginx, wrk, postgresql and redis-server, which ./scripts/bench.sh installs):

    .venv/bin/python bench/scale_out.py [--applicants 400] [--late 10] [--window 40]
        [--kill-at 0.5] [--workers 2] [--threads 2]

The topology is the one of docs/deployment.md, on one machine: every process gets the same
configuration (RDFUND_DATABASE_URL, RDFUND_REDIS_URL, RDFUND_SECRET_KEY, the shared instance
folder), nothing else. The web nodes are stateless (sessions, sign-in throttling and the
outbox live in PostgreSQL), so a client whose node dies carries on through the other one.

Phases: (0) PostgreSQL (durable settings), Redis, migrations and seed data; two gunicorn
nodes, a worker (`flask run-tasks`), nginx; (1) every applicant signs in through nginx;
(2) the surge: the deadline is --window seconds away, each applicant saves once more and
submits at a time skewed towards the deadline (10% double-click, 10% retry); at
--kill-at × window, web node 1 is killed with SIGKILL (its master and workers, requests in
flight included). A client whose request failed (connection reset, 502, 503, 504) retries as
a browser's user would: the submission again (the portal answers an already-submitted
proposal with its receipt), the autosave after re-reading the page's version (a save that
was committed before the node died is not saved twice). (3) Checks: every on-time proposal
submitted exactly once with its last saved text, every late one refused, every client
answered, and every submission's after-commit work (receipt PDF and e-mail) done by the
worker once the outbox drains. Not a test: it prints figures and exits 1 on a failed check.
"""

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.deadline_surge import UNICODE, sign_in
from bench.redisserver import RedisServer
from bench.surge_client import Browser, Stats, version_from
from bench.surge_setup import check_database, durable_cluster, seed

HOST = "127.0.0.1"
RETRYABLE = {502, 503, 504}

NGINX_CONF = """
{user}
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  upstream portal {{
    server {host}:{node1} max_fails=1 fail_timeout=10s;
    server {host}:{node2} max_fails=1 fail_timeout=10s;
    keepalive 32;
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://portal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto http;
      # a node that refuses the connection is skipped; a request already sent to a node
      # that dies is not replayed by the balancer (POSTs are not idempotent in general):
      # the client gets 502 and retries, which the portal makes safe
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


def environment(url: str, redis_url: str, instance: Path) -> dict:
    """The one configuration every node and worker shares (docs/deployment.md)."""
    env = dict(
        os.environ,
        RDFUND_DATABASE_URL=url,
        RDFUND_REDIS_URL=redis_url,
        RDFUND_SECRET_KEY="bench-secret-" + "x" * 20,
        RDFUND_INSTANCE_PATH=str(instance),
        RDFUND_ACCESS_LOG="0",
        RDFUND_PROXY_COUNT="1",  # nginx sets X-Forwarded-For and -Proto
        RDFUND_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("RDFUND_DEV", None)
    return env


def start_node(env: dict, port: int, args) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-w", str(args.workers), "-k", "gthread", "--threads", str(args.threads)),
        *("-b", f"{HOST}:{port}", "--log-level", "warning", "--backlog", "2048"),
        "bench.surge_wsgi:app",
    ]
    return subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    cmd = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "run-tasks"]
    with log.open("w") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=ROOT, start_new_session=True, stdout=out, stderr=out
        )


def start_nginx(root: Path, port: int, node_ports: tuple[int, int]) -> subprocess.Popen:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    conf = root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            # nginx started by root hands its worker to "nobody", who cannot write the
            # temporary folders of this run: keep the worker as the user who runs the bench
            user="user root;" if os.geteuid() == 0 else "",
            root=root,
            host=HOST,
            port=port,
            node1=node_ports[0],
            node2=node_ports[1],
        )
    )
    cmd = ["nginx", "-c", str(conf), "-p", str(root), "-g", "daemon off;"]
    return subprocess.Popen(cmd, start_new_session=True)


def wait_until_up(port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Browser(HOST, port, Stats()).request("warm", "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not start")


class Applicant:
    """An applicant's browser through the balancer, retrying as a person would."""

    def __init__(self, email, proposal_id, browser):
        self.email, self.proposal_id, self.browser = email, proposal_id, browser
        self.csrf, self.version, self.last_saved, self.receipts = "", 0, None, []
        self.refused = self.retries = self.unanswered = 0

    def _send(self, kind: str, path: str, form: dict):
        """One request; (status, body, response) or None when the connection failed."""
        try:
            return self.browser.request(kind, "POST", path, form)
        except OSError:
            return None

    def _reload(self) -> str:
        for _ in range(20):
            try:
                status, page, _r = self.browser.request(
                    "reload", "GET", f"/proposals/{self.proposal_id}/edit"
                )
            except OSError:
                status, page = 0, ""
            if status == 200:
                self.version = version_from(page)
                return page
            time.sleep(0.5)
        raise RuntimeError(f"{self.email}: the edit page never came back")

    def autosave(self, n: int) -> None:
        text = f"{UNICODE} · {self.email} · lần {n} · {random.random():.6f}"
        for attempt in range(20):
            form = {"csrf_token": self.csrf, "version_id": self.version, "abstract": text}
            answer = self._send("autosave", f"/proposals/{self.proposal_id}/autosave", form)
            status = answer[0] if answer else 0
            if status == 200:
                self.version, self.last_saved = json.loads(answer[1])["version_id"], text
                return
            if status and status not in RETRYABLE | {409}:
                raise RuntimeError(f"autosave {status} for {self.email}: {answer[1][:200]}")
            self.retries += 1
            time.sleep(0.2 * (attempt + 1))
            if status == 409 or not status:
                # the lost answer may belong to a save that was committed: read the page
                page = self._reload()
                if text in page:
                    self.last_saved = text
                    return
        self.unanswered += 1

    def submit(self) -> None:
        for attempt in range(20):
            form = {"csrf_token": self.csrf, "version_id": self.version, "confirm": "yes"}
            answer = self._send("submit", f"/proposals/{self.proposal_id}/submit", form)
            status = answer[0] if answer else 0
            if status in RETRYABLE or not status:
                self.retries += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            location = answer[2].getheader("Location") or ""
            if status == 302 and "/submissions/" in location:
                self.receipts.append(location)
            else:
                self.refused += 1
            return
        self.unanswered += 1


def kill_node(node: subprocess.Popen) -> None:
    """SIGKILL the node's master and workers at once: a machine that died."""
    os.killpg(node.pid, signal.SIGKILL)
    node.wait(timeout=10)


def surge(on_time, late, closes_at_mono, window, kill, kill_after: float) -> float:
    """Each on-time applicant saves then submits at t = window·√u before the deadline; the
    kill runs at its moment from its own thread. Returns the kill's time into the window."""
    start = closes_at_mono - window
    plan = [(start + window * math.sqrt(random.random()) * 0.97, a) for a in on_time]
    plan += [(closes_at_mono + 0.3 + random.random() * 2, a) for a in late]
    plan.sort(key=lambda p: p[0])
    rng = random.Random(7)
    killed_at: list[float] = []

    def killer():
        time.sleep(max(0.0, start + kill_after - time.monotonic()))
        kill()
        killed_at.append(time.monotonic() - start)

    def act(item):
        at, applicant = item
        time.sleep(max(0.0, at - time.monotonic()))
        applicant.autosave(99)
        roll = rng.random()
        if roll < 0.1:  # a double click
            t = threading.Thread(target=applicant.submit)
            t.start()
            applicant.submit()
            t.join()
        else:
            applicant.submit()
            if roll < 0.2:  # a retry or a reload after the answer
                applicant.submit()

    thread = threading.Thread(target=killer)
    thread.start()
    with ThreadPoolExecutor(256) as pool:
        list(pool.map(act, plan))
    thread.join()
    return killed_at[0]


def outbox_drained(url: str, submissions: int, timeout: float = 240) -> dict:
    """Wait for the worker to finish every submission's after-commit work."""
    import psycopg

    dsn = url.replace("postgresql+psycopg", "postgresql")
    deadline = time.monotonic() + timeout
    while True:
        with psycopg.connect(dsn) as conn:
            states = dict(
                conn.execute(
                    "SELECT state, count(*) FROM outbox WHERE task = 'after_submission' "
                    "GROUP BY state"
                ).fetchall()
            )
        waiting = sum(n for s, n in states.items() if s not in ("done", "dead"))
        if not waiting or time.monotonic() > deadline:
            return {
                "states": states,
                "all_done": states.get("done", 0) == submissions and not waiting,
            }
        time.sleep(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--late", type=int, default=10)
    parser.add_argument("--window", type=float, default=40.0)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the window")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    random.seed(1)
    tmp = Path(tempfile.mkdtemp(prefix="rdfund-scale-"))
    cluster = durable_cluster()
    redis = RedisServer().start()
    procs: dict[str, subprocess.Popen] = {}
    try:
        url = cluster.url("rdfund")
        print("seeding…", flush=True)
        seeded = seed(cluster, url, args.applicants + args.late, window=args.window)
        env = environment(url, redis.url(), tmp / "instance")
        ports = (cluster.free_port(), cluster.free_port())
        balancer = cluster.free_port()
        procs["node1"] = start_node(env, ports[0], args)
        procs["node2"] = start_node(env, ports[1], args)
        procs["worker"] = start_worker(env, tmp / "worker.log")
        for name, port in zip(("node1", "node2"), ports, strict=True):
            wait_until_up(port, name)
        procs["nginx"] = start_nginx(tmp / "nginx", balancer, ports)
        wait_until_up(balancer, "nginx")
        stats = Stats()
        applicants = [Applicant(e, pid, Browser(HOST, balancer, stats)) for e, pid in seeded.people]
        print(f"signing in {len(applicants)} applicants through nginx…", flush=True)
        with ThreadPoolExecutor(32) as pool:
            states = list(
                pool.map(
                    lambda a: sign_in(a.browser, a.email, seeded.password, a.proposal_id),
                    applicants,
                )
            )
        for a, state in zip(applicants, states, strict=True):
            a.csrf, a.version = state["csrf"], state["version"]
        on_time, late = applicants[: args.applicants], applicants[args.applicants :]
        closes_at_mono = time.monotonic() + args.window + 2
        seeded.set_deadline(seconds_from_now=args.window + 2)
        print(
            f"surge: deadline in {args.window + 2:.0f} s, node 1 killed at "
            f"{args.kill_at * args.window:.0f} s…",
            flush=True,
        )
        t0 = time.perf_counter()
        killed_at = surge(
            on_time,
            late,
            closes_at_mono,
            args.window,
            kill=lambda: kill_node(procs["node1"]),
            kill_after=args.kill_at * args.window,
        )
        surge_seconds = time.perf_counter() - t0
        checks = check_database(url, on_time, late)
        submitted = sum(bool(a.receipts) for a in on_time)
        print("waiting for the worker to drain the outbox…", flush=True)
        drained = outbox_drained(url, submitted)
        unanswered = sum(a.unanswered for a in applicants)
        retries = sum(a.retries for a in applicants)
        ok = checks["ok"] and drained["all_done"] and unanswered == 0
        print("\n=== scale-out: results ===")
        print(
            f"nginx → 2 × gunicorn -w {args.workers} -k gthread --threads {args.threads}, "
            f"1 worker (flask run-tasks), PostgreSQL 15, Redis; {args.applicants} on-time + "
            f"{args.late} late applicants; window {args.window:.0f} s"
        )
        print(f"node 1 killed (SIGKILL) {killed_at:.1f} s into the window")
        print(f"surge: {surge_seconds:.1f} s; client retries after a failed answer: {retries}")
        for kind in ("autosave", "reload", "submit"):
            p = stats.percentiles(kind)
            if p:
                print(
                    f"{kind:9s} n={p['n']:5d}  p50={p['p50'] * 1000:6.1f} ms  "
                    f"p95={p['p95'] * 1000:6.1f} ms  max={p['max'] * 1000:7.1f} ms  codes="
                    f"{dict(stats.codes[kind])}"
                )
        print("database checks:")
        for name, value in checks.items():
            print(f"  {name}: {value}")
        print(f"  clients left without an answer: {unanswered}")
        print(f"  after-submission work (outbox): {drained['states']}")
        print(f"RESULT {'ok' if ok else 'FAILED'}")
        return 0 if ok else 1
    finally:
        for name in ("nginx", "node1", "node2", "worker"):
            proc = procs.get(name)
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        redis.remove()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
