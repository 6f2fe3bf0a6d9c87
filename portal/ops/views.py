"""Endpoints for the balancer and the monitoring: /healthz, /readyz, /metrics.

No sign-in, no session, no template: they answer while the database is down (healthz) and
say what is down (readyz). The second-factor check skips them (portal.mfa.flow)."""

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import text

from portal import db
from portal.ops import metrics

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    """The process is up and answering (touches nothing else)."""
    return jsonify(status="ok")


def database_reachable(engine=None) -> bool:
    try:
        with (engine or db.engine()).connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        log.warning("readyz: database unreachable", exc_info=True)
        return False


def queue_reachable() -> bool:
    """Redis answers a ping; the SQLite queue answers a count."""
    from portal.tasks import huey

    try:
        conn = getattr(huey.storage, "conn", None)
        if conn is not None and hasattr(conn, "ping"):
            conn.ping()
        else:
            huey.storage.queue_size()
        return True
    except Exception:
        log.warning("readyz: task queue unreachable", exc_info=True)
        return False


@bp.get("/readyz")
def readyz():
    """Ready for traffic: the database and the task queue both answer (503 names which not)."""
    checks = {
        "database": "ok" if database_reachable() else "unreachable",
        "queue": "ok" if queue_reachable() else "unreachable",
    }
    replica = current_app.extensions.get("rdfund.replica")
    if replica is not None:  # reports and public pages read it (docs/deployment.md)
        checks["replica"] = "ok" if database_reachable(replica) else "unreachable"
    ready = all(v == "ok" for v in checks.values())
    body = jsonify(status="ok" if ready else "unavailable", checks=checks)
    return body, 200 if ready else 503


@bp.get("/metrics")
def metrics_page():
    """Prometheus text exposition, for loopback or the configured bearer token only."""
    if not metrics.may_read(request):
        log.warning("metrics refused to %s", request.remote_addr)
        return Response("forbidden\n", 403, mimetype="text/plain")
    body, content_type = metrics.exposition()
    return Response(body, 200, content_type=content_type)
