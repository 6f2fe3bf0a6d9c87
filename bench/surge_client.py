"""A small keep-alive HTTP client with a cookie jar, and latency bookkeeping (stdlib only)."""

import http.client
import re
import threading
import time
import urllib.parse
from collections import defaultdict

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version_id" id="version_id" value="(\d+)"')


class Stats:
    """Latencies (seconds) and status codes per kind of request, thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.codes = defaultdict(lambda: defaultdict(int))

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.codes[kind][status] += 1

    def percentiles(self, kind: str) -> dict:
        values = sorted(self.latency[kind])
        if not values:
            return {}

        def pick(q):
            return values[min(len(values) - 1, int(q * len(values)))]

        return {
            "n": len(values),
            "p50": pick(0.50),
            "p95": pick(0.95),
            "p99": pick(0.99),
            "max": values[-1],
        }


_local = threading.local()


def _connection(host: str, port: int) -> http.client.HTTPConnection:
    """The calling thread's keep-alive connection to this host and port."""
    if not hasattr(_local, "conns"):
        _local.conns = {}
    conn = _local.conns.get((host, port))
    if conn is None:
        conn = _local.conns[(host, port)] = http.client.HTTPConnection(host, port, timeout=60)
    return conn


class Browser:
    """One applicant's cookies; requests go over the calling thread's connection."""

    def __init__(self, host: str, port: int, stats: Stats):
        self.host, self.port, self.stats = host, port, stats
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, kind: str, method: str, path: str, form: dict | None = None):
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        with self.lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            conn = _connection(self.host, self.port)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                _local.conns.pop((self.host, self.port), None)
                if attempt:
                    raise
                continue
            self.stats.add(kind, time.perf_counter() - started, response.status)
            self._keep_cookies(response)
            return response.status, data.decode("utf-8", "replace"), response
        raise RuntimeError("unreachable")

    def _keep_cookies(self, response) -> None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                with self.lock:
                    self.cookies[name.strip()] = rest.split(";", 1)[0]


def csrf_from(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def version_from(page: str) -> int:
    return int(VERSION.search(page).group(1))
