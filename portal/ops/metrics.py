"""Prometheus metrics: requests, latencies, the task queue, task durations, failed sign-ins.

Counters and histograms live in prometheus_client's default registry (with the process's own
CPU, memory and file descriptors). Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder before starting it: each worker then writes its
figures there and /metrics adds them up (docs/operations.md).
"""

import hmac
import ipaddress
import logging
import os
import threading
import time

from flask import Request, Response, current_app, has_app_context, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event
from sqlmodel import Session

from funds.audit.models import AuditEntry
from funds.clock import to_utc
from portal import db

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "rdfund_http_requests", "HTTP requests answered", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "rdfund_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASK_DURATION = Histogram(
    "rdfund_task_duration_seconds",
    "Time a queued task (or job) ran, by task and outcome",
    ["task", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600),
)
SIGN_IN_FAILURES = Counter(
    "rdfund_sign_in_failures", "Refused sign-in attempts, by reason", ["reason"]
)
# The audit actions of a refused sign-in (funds.accounts.signin and .mfa) and their reason label
FAILED_SIGN_IN_ACTIONS = {
    "sign_in_failed": "password",
    "sign_in_locked": "locked",
    "sign_in_throttled": "throttled",
    "mfa_code_failed": "second_factor",
    "mfa_code_locked": "second_factor_locked",
}
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def observe_request(response: Response, seconds: float) -> None:
    endpoint = request.endpoint or "unmatched"  # unknown paths share one label
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(seconds)


class QueueCollector:
    """The task queue's depth, read from the queue at each scrape (Redis or SQLite)."""

    def collect(self):
        from portal.tasks import huey

        pending = GaugeMetricFamily("rdfund_task_queue_depth", "Tasks waiting to run")
        scheduled = GaugeMetricFamily(
            "rdfund_task_queue_scheduled", "Tasks scheduled for later (retries with a delay)"
        )
        try:
            pending.add_metric([], huey.pending_count())
            scheduled.add_metric([], huey.scheduled_count())
        except Exception:  # the queue is down: readyz says so; the scrape still answers
            log.warning("task queue unreachable while reading its depth", exc_info=True)
            return
        yield pending
        yield scheduled


class OutboxCollector:
    """Work promised but not done, from the outbox table at each scrape (in a request of the
    portal; a worker's own metrics server has no database session and leaves it out)."""

    def collect(self):
        if not has_app_context():
            return
        from funds.clock import utcnow
        from funds.outbox import queries

        rows = GaugeMetricFamily("rdfund_outbox_rows", "Outbox rows not done", labels=["state"])
        oldest = GaugeMetricFamily(
            "rdfund_outbox_oldest_pending_seconds", "Age of the oldest pending outbox row"
        )
        try:
            with Session(db.engine()) as session:
                for state, count in queries.unfinished(session).items():
                    rows.add_metric([state], count)
                since = queries.oldest_pending(session)
        except Exception:  # the database is down: readyz says so; the scrape still answers
            log.warning("outbox unreadable while reading its rows", exc_info=True)
            return
        oldest.add_metric([], (utcnow() - to_utc(since)).total_seconds() if since else 0)
        yield rows
        yield oldest


def _count_failed_sign_in(_mapper, _connection, entry: AuditEntry) -> None:
    reason = FAILED_SIGN_IN_ACTIONS.get(entry.action)
    if reason is not None:
        SIGN_IN_FAILURES.labels(reason).inc()


_task_starts: dict[str, float] = {}
_task_lock = threading.Lock()
_served = {"worker": False}
_installed = {"done": False}


def _task_started(task) -> None:
    with _task_lock:
        _task_starts[task.id] = time.monotonic()


def _task_finished(task, _value, exc) -> None:
    with _task_lock:
        started = _task_starts.pop(task.id, None)
    if started is not None:
        outcome = "ok" if exc is None else "error"
        TASK_DURATION.labels(task.name, outcome).observe(time.monotonic() - started)


def _serve_worker_metrics() -> None:
    """In `flask run-tasks`, RDFUND_WORKER_METRICS_PORT serves the worker's own figures (task
    durations) on loopback, for a worker on a machine of its own."""
    port = os.environ.get("RDFUND_WORKER_METRICS_PORT", "")
    with _task_lock:
        if not port.isdigit() or _served["worker"]:
            return
        _served["worker"] = True
    start_http_server(int(port), addr="127.0.0.1")


def install() -> None:
    """Hook the queue and the audit log once per process."""
    if _installed["done"]:
        return
    _installed["done"] = True
    from portal.tasks import huey

    huey.pre_execute("rdfund_metrics")(_task_started)
    huey.post_execute("rdfund_metrics")(_task_finished)
    huey.on_startup("rdfund_metrics")(_serve_worker_metrics)
    event.listen(AuditEntry, "after_insert", _count_failed_sign_in)
    REGISTRY.register(QueueCollector())
    REGISTRY.register(OutboxCollector())


def _loopback(req: Request) -> bool:
    """A direct connection from this machine; a proxied one (a forwarding header) is not,
    whatever its socket says, since a balancer on this machine forwards everyone."""
    if any(h in req.headers for h in FORWARDING_HEADERS):
        return False
    try:
        return any(ipaddress.ip_address(req.remote_addr or "") in net for net in LOOPBACK)
    except ValueError:
        return False


def may_read(req: Request) -> bool:
    """Loopback (unless turned off), or `Authorization: Bearer <RDFUND_METRICS_TOKEN>`."""
    token = current_app.config.get("METRICS_TOKEN")
    given = req.headers.get("Authorization", "")
    if token and given.startswith("Bearer "):
        return hmac.compare_digest(given[7:].strip().encode(), token.encode())
    return bool(current_app.config["METRICS_ALLOW_LOOPBACK"]) and _loopback(req)


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric (all workers' under PROMETHEUS_MULTIPROC_DIR)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(QueueCollector())
        registry.register(OutboxCollector())
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
