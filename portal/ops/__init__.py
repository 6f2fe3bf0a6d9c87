"""Operations: health checks, request ids in logs and error pages, metrics, backup and restore
(docs/operations.md)."""

from flask import Flask, Response


def init_app(app: Flask) -> None:
    """First of the request hooks, so every later hook, log line and error page has the
    request's id and the request is timed from its start."""
    from portal.ops import cli, logs, metrics

    logs.configure(app)
    metrics.install()

    def finish(response: Response) -> Response:
        metrics.observe_request(response, logs.elapsed())
        return logs.finish_request(response)

    app.before_request(logs.start_request)
    app.after_request(finish)
    app.context_processor(lambda: {"request_id": logs.request_id()})
    cli.init_app(app)
