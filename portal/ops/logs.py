"""Log lines with the request's id: one JSON object per line in production, text in
development (RDFUND_LOG_FORMAT), written to standard error for the service manager to keep.

Every line logged while a request is handled carries its id (`request_id`), which the
response returns in X-Request-ID and the error pages show, so a person quoting it leads to the
lines of their request. The id comes from an incoming X-Request-ID when it is well formed (a
balancer's own id, so its log and ours join), else it is generated."""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

# A balancer's id (nginx's $request_id: 32 hex digits), a UUID, or a similar token; nothing
# that could forge a log line or a header.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
# Attributes every LogRecord has; anything else on a record came from `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

access_log = logging.getLogger("rdfund.access")
# Libraries that narrate their work at INFO: their warnings and errors are kept.
QUIET = ("weasyprint.progress", "fontTools")


def request_id() -> str:
    """This request's id ("-" outside a request); chosen on first use."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if WELL_FORMED_ID.fullmatch(given) else uuid.uuid4().hex
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record, so both formats can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        line.update(
            (k, v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
            for k, v in vars(record).items()
            if k not in _STANDARD
        )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the moment (a test's capture, a reopened stream)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(app: Flask) -> None:
    """The root logger writes through one handler of ours in the configured format; calling
    it again (another app in the same process) replaces that handler, never adds one."""
    handler = StderrHandler()
    handler.set_name("rdfund")
    handler.addFilter(RequestIdFilter())
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "rdfund"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"].upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    app.logger.removeHandler(default_handler)  # Flask's own would print each line twice


def start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()


def elapsed() -> float:
    """Seconds since the request began (0 if its start was never noted)."""
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0


def finish_request(response: Response) -> Response:
    """Return the id to the client and write the access line."""
    response.headers["X-Request-ID"] = request_id()
    if current_app.config["ACCESS_LOG"]:
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "endpoint": request.endpoint or "",
                "status": response.status_code,
                "duration_ms": round(elapsed() * 1000, 1),
            },
        )
    return response
