"""Deadline surge: gunicorn + PostgreSQL on loopback, 1,000 applicants saving and submitting.

Run from the repository root (one command, about three minutes on 2 cores):

    /work/main/.venv/bin/python bench/deadline_surge.py [--applicants 1000] [--late 20]
        [--window 60] [--workers 4] [--threads 2] [--concurrency 64]

Phases: (0) a private PostgreSQL 15 cluster (durable settings: fsync and synchronous
commit on), migrations, seed accounts and drafts through the services; (1) the bare
endpoint's ceiling with wrk; (2) every applicant signs in; (3) saturated autosave: each
applicant saves 10 times, closed loop at --concurrency; (4) the surge: the deadline is
--window seconds away, each applicant saves once more and submits at a time skewed
towards the deadline (10% double-click, 10% retry after the answer); --late applicants
submit just after the deadline; (5) checks on the database. Not a test: it prints figures.
"""

import argparse
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cpu import ServerCPU, postmaster_pid
from bench.surge_client import Browser, Stats, csrf_from, version_from
from bench.surge_setup import check_database, durable_cluster, seed, settle

HOST = "127.0.0.1"
UNICODE = "Nghiên cứu ứng dụng — ₫ 𝔘 😀 中文"


def start_gunicorn(url: str, port: int, args, tmp: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        RDFUND_DATABASE_URL=url,
        RDFUND_SECRET_KEY="bench-secret-" + "x" * 20,
        RDFUND_TASKS_DB=str(tmp / "tasks.sqlite"),
        RDFUND_INSTANCE_PATH=str(tmp),
        PYTHONPATH=str(ROOT),
    )
    env.pop("RDFUND_DEV", None)
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        str(args.workers),
        "-k",
        "gthread",
        "--threads",
        str(args.threads),
        "-b",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "--backlog",
        "2048",
        "bench.surge_wsgi:app",
    ]
    with (tmp / "gunicorn.log").open("w") as log:  # the JSON log lines, as journald would
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=log
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            Browser(HOST, port, Stats()).request("warm", "GET", "/_bare")
            return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def _requests(out: str) -> int:
    """wrk's "N requests in T s" line."""
    return int(next(ln for ln in out.splitlines() if " requests in " in ln).split()[0])


def wrk_bare(port: int, seconds: int = 10) -> tuple[float, int]:
    """Requests/s and requests made against the bare endpoint."""
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", f"http://{HOST}:{port}/_bare"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("Requests/sec"))
    return float(line.split()[1]), _requests(out)


WRK_AUTOSAVE_LUA = r"""
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  mine, byid, idx, errors, conflicts = {}, {}, 0, 0, 0
  for i, a in ipairs(APPS) do
    if (i - 1) % NTHREADS == tid then table.insert(mine, a); byid[a.pid] = a end
  end
end
function request()
  idx = idx % #mine + 1
  local a = mine[idx]
  return wrk.format("POST", "/proposals/" .. a.pid .. "/autosave",
    {["Cookie"] = a.cookie, ["Content-Type"] = "application/x-www-form-urlencoded"},
    "csrf_token=" .. a.csrf .. "&version_id=" .. a.version .. "&abstract=wrk+" .. idx)
end
function response(status, headers, body)
  if status == 409 then conflicts = conflicts + 1; return end
  if status ~= 200 then errors = errors + 1; return end
  local pid = tonumber(string.match(body, '"proposal_id":%s*(%d+)'))
  local v = tonumber(string.match(body, '"version_id":%s*(%d+)'))
  if pid and byid[pid] then byid[pid].version = v end
end
function done(summary, latency, requests)
  local errs, stale = 0, 0
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors"); stale = stale + t:get("conflicts")
  end
  io.write(string.format("NON200 %d\nCONFLICTS %d\n", errs, stale))
end
"""


def wrk_autosave(
    port: int, applicants, tmp: Path, seconds: int = 10
) -> tuple[float, int, int, int]:
    """Server-side autosave throughput with wrk as the client (the same client as the bare
    endpoint), each request authenticated, CSRF-checked, authorised and audited. Returns
    requests/s, answers other than 200 or 409, 409s (two of wrk's requests for one draft in
    flight at once: the second is refused as stale, as it should be) and requests made."""
    import urllib.parse

    rows = []
    for a in applicants:
        cookie = "; ".join(f"{k}={v}" for k, v in a.browser.cookies.items())
        csrf, quoted = urllib.parse.quote(a.csrf, safe=""), cookie.replace('"', '\\"')
        rows.append(
            f'{{pid={a.proposal_id}, version={a.version}, csrf="{csrf}", cookie="{quoted}"}}'
        )
    script = tmp / "autosave.lua"
    script.write_text("NTHREADS = 2\nAPPS = {" + ",\n".join(rows) + "}\n" + WRK_AUTOSAVE_LUA)
    out = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{seconds}s", "-s", str(script), f"http://{HOST}:{port}/"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout

    def figure(label: str) -> str:
        return next(ln for ln in out.splitlines() if ln.startswith(label)).split()[1]

    rps = float(figure("Requests/sec"))
    non200, stale = int(figure("NON200")), int(figure("CONFLICTS"))
    return rps, non200, stale, _requests(out)


def compare_throughput(url: str, port: int, applicants, tmp: Path, cpu, rounds: int = 3) -> dict:
    """The bare endpoint and saturated autosave, each measured with wrk in alternating runs
    (a short warm-up of each first), so that background noise on the machine falls on both;
    the ratio is of the medians. The database is settled before each autosave run. Also the
    server's CPU per request of each (gunicorn and PostgreSQL processes, from /proc), which
    does not move with the machine's other load."""
    wrk_bare(port, seconds=3)
    wrk_autosave(port, applicants, tmp, seconds=3)
    refresh_versions(url, applicants)
    bare, autosave, non200, stale, bare_ms, autosave_ms = [], [], 0, 0, [], []
    for _ in range(rounds):
        before = cpu.seconds()
        rps, n = wrk_bare(port)
        bare.append(rps)
        bare_ms.append(1000 * (cpu.seconds() - before) / n)
        settle(url)
        before = cpu.seconds()
        rps, errors, conflicts, n = wrk_autosave(port, applicants, tmp)
        autosave_ms.append(1000 * (cpu.seconds() - before) / n)
        autosave.append(rps)
        non200, stale = non200 + errors, stale + conflicts
        refresh_versions(url, applicants)
    return {
        "bare": bare,
        "autosave": autosave,
        "non200": non200,
        "stale": stale,
        "bare_median": statistics.median(bare),
        "autosave_median": statistics.median(autosave),
        "bare_cpu_ms": statistics.median(bare_ms),
        "autosave_cpu_ms": statistics.median(autosave_ms),
    }


def refresh_versions(url: str, applicants) -> None:
    """After wrk's autosaves, learn each draft's current version from the database."""
    import psycopg

    time.sleep(2)  # requests wrk left in flight finish on the server first
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        versions = dict(conn.execute("SELECT id, version_id FROM proposal").fetchall())
    for a in applicants:
        a.version = versions[a.proposal_id]


def sign_in(browser: Browser, email: str, password: str, proposal_id: int) -> dict:
    _s, page, _r = browser.request("login", "GET", "/auth/login")
    status, _p, _r = browser.request(
        "login",
        "POST",
        "/auth/login",
        {"csrf_token": csrf_from(page), "email": email, "password": password},
    )
    assert status == 302, f"sign-in failed for {email}: {status}"
    _s, page, _r = browser.request("login", "GET", f"/proposals/{proposal_id}/edit")
    return {"csrf": csrf_from(page), "version": version_from(page)}


class Applicant:
    def __init__(self, email, proposal_id, browser):
        self.email, self.proposal_id, self.browser = email, proposal_id, browser
        self.csrf, self.version, self.last_saved, self.receipts = "", 0, None, []
        self.refused = 0

    def autosave(self, n: int, kind: str = "autosave") -> None:
        text = f"{UNICODE} · {self.email} · lần {n} · {random.random():.6f}"
        status, body, _r = self.browser.request(
            kind,
            "POST",
            f"/proposals/{self.proposal_id}/autosave",
            {"csrf_token": self.csrf, "version_id": self.version, "abstract": text},
        )
        if status == 200:
            self.version, self.last_saved = json.loads(body)["version_id"], text
        else:
            raise RuntimeError(f"autosave {status} for {self.email}: {body[:200]}")

    def submit(self) -> None:
        status, _b, response = self.browser.request(
            "submit",
            "POST",
            f"/proposals/{self.proposal_id}/submit",
            {"csrf_token": self.csrf, "version_id": self.version, "confirm": "yes"},
        )
        location = response.getheader("Location") or ""
        if status == 302 and "/submissions/" in location:
            self.receipts.append(location)
        else:
            self.refused += 1


def run_autosaves(applicants, args, stats) -> float:
    jobs = [(a, n) for n in range(10) for a in applicants]  # round-robin keeps versions ordered
    by_applicant = {id(a): threading.Lock() for a in applicants}

    def one(job):
        applicant, n = job
        with by_applicant[id(applicant)]:
            applicant.autosave(n)

    started = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(one, jobs))
    return len(jobs) / (time.perf_counter() - started)


def surge(on_time, late, closes_at_mono, window, args) -> None:
    """Each on-time applicant saves then submits at t = window·√u before the deadline."""
    start = closes_at_mono - window
    plan = [(start + window * math.sqrt(random.random()) * 0.97, a, "on") for a in on_time]
    plan += [(closes_at_mono + 0.3 + random.random() * 2, a, "late") for a in late]
    plan.sort(key=lambda p: p[0])
    rng = random.Random(7)

    def act(item):
        at, applicant, _kind = item
        time.sleep(max(0.0, at - time.monotonic()))
        applicant.autosave(99, "autosave_surge")
        roll = rng.random()
        if roll < 0.1:  # a double click: two requests at once
            t = threading.Thread(target=applicant.submit)
            t.start()
            applicant.submit()
            t.join()
        else:
            applicant.submit()
            if roll < 0.2:  # a retry or a reload after the answer
                applicant.submit()

    with ThreadPoolExecutor(max(args.concurrency, 256)) as pool:
        list(pool.map(act, plan))


def report_throughput(wrk) -> None:
    """The wrk comparison: each run, the medians, and the ratio the issue sets a floor on."""

    def runs(xs):
        return " / ".join(f"{x:,.0f}" for x in xs)

    bare, n = wrk["bare_median"], len(wrk["bare"])
    print(
        f"bare endpoint (wrk -t2 -c50, {n} runs of 10 s): {runs(wrk['bare'])} req/s; "
        f"median {bare:,.0f}"
    )
    print(
        f"saturated autosave (wrk -t2 -c50, {n} runs of 10 s, alternating with the bare runs): "
        f"{runs(wrk['autosave'])} req/s; median {wrk['autosave_median']:,.0f} = "
        f"{100 * wrk['autosave_median'] / bare:.1f}% of bare; "
        f"409 stale-version answers: {wrk['stale']}; other non-200 answers: {wrk['non200']}"
    )
    cpu_bare, cpu_save = wrk["bare_cpu_ms"], wrk["autosave_cpu_ms"]
    print(
        f"server CPU per request (gunicorn + PostgreSQL, medians): bare {cpu_bare:.2f} ms, "
        f"autosave {cpu_save:.2f} ms (ratio {100 * cpu_bare / cpu_save:.1f}%)"
    )
    print(f"AUTOSAVE_RATIO {100 * wrk['autosave_median'] / bare:.1f}")


def report(stats, wrk, autosave_rps, args, checks, surge_seconds) -> None:
    print("\n=== deadline surge: results ===")
    print(
        f"gunicorn -w {args.workers} -k gthread --threads {args.threads}; "
        f"{args.applicants} on-time + {args.late} late applicants; window {args.window}s"
    )
    bare = wrk["bare_median"]
    report_throughput(wrk)
    print(
        f"saturated autosave (closed loop, {args.concurrency} Python clients): "
        f"{autosave_rps:,.0f} req/s = {100 * autosave_rps / bare:.1f}% of bare"
    )
    for kind in ("autosave", "autosave_surge", "submit"):
        p = stats.percentiles(kind)
        if p:
            print(
                f"{kind:15s} n={p['n']:5d}  p50={p['p50'] * 1000:6.1f} ms  "
                f"p95={p['p95'] * 1000:6.1f}"
                f" ms  p99={p['p99'] * 1000:6.1f} ms  max={p['max'] * 1000:6.1f} ms  codes="
                f"{dict(stats.codes[kind])}"
            )
    n = stats.percentiles("submit").get("n", 0)
    print(f"surge: {n} submit requests in {surge_seconds:.1f} s")
    print("database checks:")
    for name, value in checks.items():
        print(f"  {name}: {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applicants", type=int, default=1000)
    parser.add_argument("--late", type=int, default=20)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk runs of each")
    parser.add_argument(
        "--throughput-only", action="store_true", help="the wrk comparison alone, no surge"
    )
    args = parser.parse_args()
    random.seed(1)
    tmp = Path(tempfile.mkdtemp(prefix="rdfund-surge-"))
    cluster = durable_cluster()
    server = None
    try:
        url = cluster.url("rdfund")
        print("seeding…", flush=True)
        seeded = seed(cluster, url, args.applicants + args.late, window=args.window)
        port = args.port or cluster.free_port()
        server = start_gunicorn(url, port, args, tmp)
        stats = Stats()
        applicants = [Applicant(e, pid, Browser(HOST, port, stats)) for e, pid in seeded.people]
        print("signing in…", flush=True)
        with ThreadPoolExecutor(32) as pool:
            states = list(
                pool.map(
                    lambda a: sign_in(a.browser, a.email, seeded.password, a.proposal_id),
                    applicants,
                )
            )
        for a, state in zip(applicants, states, strict=True):
            a.csrf, a.version = state["csrf"], state["version"]
        print("bare endpoint and saturated autosave with wrk, alternating…", flush=True)
        cpu = ServerCPU(sessions=[server.pid], parents=[postmaster_pid(cluster.data)])
        wrk = compare_throughput(url, port, applicants, tmp, cpu, rounds=args.rounds)
        if args.throughput_only:
            report_throughput(wrk)
            return 0 if wrk["non200"] == 0 else 1
        print("saturated autosave (closed loop)…", flush=True)
        autosave_rps = run_autosaves(applicants, args, stats)
        refresh_versions(url, applicants)
        on_time, late = applicants[: args.applicants], applicants[args.applicants :]
        closes_at_mono = time.monotonic() + args.window + 2
        seeded.set_deadline(seconds_from_now=args.window + 2)
        print(f"surge: deadline in {args.window + 2:.0f} s…", flush=True)
        t0 = time.perf_counter()
        surge(on_time, late, closes_at_mono, args.window, args)
        surge_seconds = time.perf_counter() - t0
        checks = check_database(url, on_time, late)
        report(stats, wrk, autosave_rps, args, checks, surge_seconds)
        return 0 if checks["ok"] and wrk["non200"] == 0 else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["timedelta"]
