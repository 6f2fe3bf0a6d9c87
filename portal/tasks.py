"""Work done after the response: the submission's PDF and its receipt e-mail, every e-mail
(huey). Work reaches the queue through the transactional outbox (portal.outbox).

RedisHuey when RDFUND_REDIS_URL is set (production); otherwise SqliteHuey in
`<instance path>/tasks.sqlite` (RDFUND_TASKS_DB or the TASKS_DB setting to move it), so two
portals started from one checkout with different instance paths never consume each other's
tasks. Consumed by `flask run-tasks` or, in development mode, by a consumer thread inside
the portal (which leaves SIGTERM and Ctrl-C to the server). Tests run tasks immediately
unless a test starts a real consumer.
"""

import os
import signal
import threading
from pathlib import Path

import click
from flask import Flask, render_template
from flask_babel import force_locale
from huey import RedisHuey, SqliteHuey
from huey.storage import RedisStorage
from redis import ConnectionPool
from redis.backoff import NoBackoff
from redis.retry import Retry

ROOT = Path(__file__).resolve().parent.parent
_state: dict = {"app": None, "consumer": None}
_lock = threading.Lock()


def _make_huey():
    redis_url = os.environ.get("RDFUND_REDIS_URL")
    if redis_url:
        return RedisHuey("rdfund", connection_pool=redis_pool(redis_url))
    # In memory until init_app names the app's file: importing opens no file in the checkout.
    return SqliteHuey("rdfund", filename=":memory:", immediate=True)


def redis_pool(url: str) -> ConnectionPool:
    """Bounded waits: a hung Redis must not hold a request (the outbox keeps the work), and
    a refused connection is not retried inside the request (the outbox relay retries)."""
    return ConnectionPool.from_url(
        url, socket_connect_timeout=2, socket_timeout=10, retry=Retry(NoBackoff(), 0)
    )


def use_redis(url: str) -> None:
    """Point the queue at a Redis server (tests, benchmarks; production sets RDFUND_REDIS_URL)."""
    huey.immediate = False
    huey.storage = RedisStorage("rdfund", connection_pool=redis_pool(url))


def queue_file(app: Flask) -> Path:
    """The SQLite queue of this portal: under its instance path unless configured."""
    configured = app.config.get("TASKS_DB") or os.environ.get("RDFUND_TASKS_DB")
    return Path(configured) if configured else Path(app.instance_path) / "tasks.sqlite"


huey = _make_huey()


def data_dir(app: Flask) -> Path:
    """Where files live: outside the web root (instance/data unless INSTANCE_DATA says)."""
    return Path(app.config.get("INSTANCE_DATA") or Path(app.instance_path) / "data")


def start_consumer(app: Flask, workers: int = 1, periodic: bool = False):
    """A real huey consumer in threads of this process (development, tests); `periodic`
    adds the outbox's relay every minute (development)."""
    with _lock:
        if _state["consumer"] is None:
            bind(app)
            consumer = huey.create_consumer(
                workers=workers,
                worker_type="thread",
                periodic=periodic,
                initial_delay=0.05,
                max_delay=0.5,
                check_worker_health=False,
            )
            _keeping_signal_handlers(consumer.start)
            _state["consumer"] = consumer
        return _state["consumer"]


def stop_consumer() -> None:
    with _lock:
        consumer, _state["consumer"] = _state["consumer"], None
    if consumer is not None:
        consumer.stop(graceful=True)


def _keeping_signal_handlers(start) -> None:
    """Start the consumer without its signal handlers: huey sets SIGTERM/SIGINT/SIGHUP
    handlers that only its own run loop obeys, so a server with a consumer thread would
    ignore SIGTERM. The process's handlers stay the server's."""
    if threading.current_thread() is not threading.main_thread():
        start()
        return
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        start()
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)


def use_queue_file(path: Path) -> None:
    """Point the SQLite queue at another file (tests; several portals on one machine)."""
    if not isinstance(huey, SqliteHuey):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    huey.storage_kwargs["filename"] = str(path)
    huey.storage = huey.create_storage()


def bind(app: Flask) -> None:
    _state["app"] = app


@click.command("run-tasks")
@click.option("--workers", default=2, show_default=True)
def run_tasks_command(workers):
    """Run the task consumer (PDFs and e-mails) and the outbox relay (every minute) in the
    foreground."""
    from flask import current_app

    bind(current_app._get_current_object())
    huey.immediate = False
    huey.create_consumer(workers=workers, worker_type="thread").run()


def init_app(app: Flask) -> None:
    bind(app)
    app.cli.add_command(run_tasks_command)
    immediate = bool(app.config.get("TASKS_IMMEDIATE", app.config["TESTING"]))
    if isinstance(huey, SqliteHuey):
        path = queue_file(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_kwargs["filename"] = str(path)
    huey.immediate = immediate  # immediate: tasks run in the request, the queue in memory
    if not immediate:
        huey.storage = huey.create_storage()
    if (
        app.config["DEV_MODE"]
        and not app.config["TESTING"]
        and not huey.immediate
        and app.config.get("TASKS_THREAD", True)
    ):
        start_consumer(app, periodic=True)


__all__ = ["force_locale", "huey", "render_template"]
