"""Per-client rate limits of the API (flask-limiter): a client is its bearer token when it
sends one, else its address. Limits come from the configuration (API_RATE_LIMIT, e.g.
"60 per minute; 1000 per hour"); counters live in Redis when RDFUND_REDIS_URL is set (every
worker shares them), else in memory (one process: development and tests)."""

import hashlib

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit

from portal.api.problems import problem


def client_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "unknown")


def _breached(limit: RequestLimit):
    retry = max(int(limit.reset_at - _now()), 1)
    return problem(
        429,
        "Too many requests",
        f"The limit of {limit.limit} is reached; retry in {retry} seconds.",
        kind="rate-limited",
        headers={"Retry-After": str(retry)},
    )


def _now() -> float:
    import time

    return time.time()


def init_app(app: Flask, blueprint) -> Limiter:
    """A limiter for this app, applied to every route of the API blueprint."""
    limiter = Limiter(
        client_key,
        app=app,
        storage_uri=app.config["API_RATE_LIMIT_STORAGE"],
        headers_enabled=True,
        on_breach=_breached,
        key_prefix="rdfund-api",
        enabled=bool(app.config["API_RATE_LIMIT"]),
    )
    limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(blueprint)
    app.extensions["rdfund.limiter"] = limiter
    return limiter
