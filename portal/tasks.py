"""Work done after the response: the submission's PDF and its receipt e-mail (huey).

RedisHuey when RDFUND_REDIS_URL is set (production); otherwise SqliteHuey in
instance/tasks.sqlite (RDFUND_TASKS_DB), consumed by `flask run-tasks` or, in development
mode, by a consumer thread inside the portal. Tests run tasks immediately unless a test
starts a real consumer.
"""

import os
import threading
from pathlib import Path

import click
from flask import Flask, render_template
from flask_babel import force_locale
from huey import RedisHuey, SqliteHuey

ROOT = Path(__file__).resolve().parent.parent
_state: dict = {"app": None, "consumer": None}
_lock = threading.Lock()


def _make_huey():
    redis_url = os.environ.get("RDFUND_REDIS_URL")
    if redis_url:
        return RedisHuey("rdfund", url=redis_url)
    path = Path(os.environ.get("RDFUND_TASKS_DB") or ROOT / "instance" / "tasks.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("rdfund", filename=str(path))


huey = _make_huey()


def data_dir(app: Flask) -> Path:
    """Where files live: outside the web root (instance/data unless INSTANCE_DATA says)."""
    return Path(app.config.get("INSTANCE_DATA") or Path(app.instance_path) / "data")


@huey.task(retries=3, retry_delay=10)
def after_submission(submission_id: int) -> str:
    """Render the submission's PDF, then mail the receipt with it (each step once)."""
    app = _state["app"]
    with app.app_context(), app.test_request_context("/"):
        from portal.proposals.receipts import render_submission_pdf, send_receipt

        render_submission_pdf(app, submission_id)
        send_receipt(app, submission_id)
    return "done"


def start_consumer(app: Flask, workers: int = 1):
    """A real huey consumer in threads of this process (development, tests)."""
    with _lock:
        if _state["consumer"] is None:
            bind(app)
            consumer = huey.create_consumer(
                workers=workers,
                worker_type="thread",
                periodic=False,
                initial_delay=0.05,
                max_delay=0.5,
                check_worker_health=False,
            )
            consumer.start()
            _state["consumer"] = consumer
        return _state["consumer"]


def stop_consumer() -> None:
    with _lock:
        consumer, _state["consumer"] = _state["consumer"], None
    if consumer is not None:
        consumer.stop(graceful=True)


def use_queue_file(path: Path) -> None:
    """Point the SQLite queue at another file (tests; several portals on one machine)."""
    huey.storage_kwargs["filename"] = str(path)
    huey.storage = huey.create_storage()


def bind(app: Flask) -> None:
    _state["app"] = app


@click.command("run-tasks")
@click.option("--workers", default=2, show_default=True)
def run_tasks_command(workers):
    """Run the task consumer (PDFs and e-mails after submission) in the foreground."""
    from flask import current_app

    bind(current_app._get_current_object())
    huey.immediate = False
    huey.create_consumer(workers=workers, worker_type="thread").run()


def init_app(app: Flask) -> None:
    bind(app)
    app.cli.add_command(run_tasks_command)
    huey.immediate = bool(app.config.get("TASKS_IMMEDIATE", app.config["TESTING"]))
    if (
        app.config["DEV_MODE"]
        and not app.config["TESTING"]
        and not huey.immediate
        and app.config.get("TASKS_THREAD", True)
    ):
        start_consumer(app)


__all__ = ["after_submission", "force_locale", "huey", "render_template"]
