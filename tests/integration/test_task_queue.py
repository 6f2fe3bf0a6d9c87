"""The embedded queue belongs to one portal: its file lives under the instance path, and
the development server stops on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from portal import create_app, tasks

ROOT = Path(__file__).resolve().parents[2]


@tasks.huey.task()
def _remember(marker: str) -> str:
    """A task a test can see (it writes nothing)."""
    return marker


def _portal(database_url, instance: Path):
    previous = os.environ.get("RDFUND_INSTANCE_PATH")
    os.environ["RDFUND_INSTANCE_PATH"] = str(instance)
    try:
        return create_app(
            {
                "TESTING": True,
                "TASKS_IMMEDIATE": False,
                "DATABASE_URL": database_url,
                "SECRET_KEY": "test-secret",
            }
        )
    finally:
        if previous is None:
            os.environ.pop("RDFUND_INSTANCE_PATH")
        else:
            os.environ["RDFUND_INSTANCE_PATH"] = previous


def _pending(path: Path) -> int:
    return SqliteStorage("rdfund", filename=str(path)).queue_size()


@pytest.fixture
def restore_queue():
    yield
    tasks.stop_consumer()
    tasks.huey.immediate = True


def test_two_portals_with_different_instance_paths_never_share_a_queue(
    database_url, tmp_path, restore_queue
):
    first = _portal(database_url, tmp_path / "first")
    assert tasks.queue_file(first) == tmp_path / "first" / "tasks.sqlite"
    _remember("for the first portal")
    assert _pending(tmp_path / "first" / "tasks.sqlite") == 1

    second = _portal(database_url, tmp_path / "second")
    assert tasks.huey.pending_count() == 0  # the second portal sees nothing queued
    tasks.start_consumer(second)
    time.sleep(1.0)  # a consumer that shared the file would have taken the task by now
    tasks.stop_consumer()
    assert _pending(tmp_path / "first" / "tasks.sqlite") == 1
    assert _pending(tmp_path / "second" / "tasks.sqlite") == 0
    for app in (first, second):
        app.extensions["rdfund.engine"].dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_the_development_server_stops_on_sigterm(database_url, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "RDFUND_DEV": "1",
        "RDFUND_DATABASE_URL": database_url,
        "RDFUND_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert server.poll() is None, "the server did not start"
            assert time.monotonic() < deadline, "the server never listened"
            time.sleep(0.1)
        assert (tmp_path / "instance" / "tasks.sqlite").exists()  # its queue, consumed inside
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=5) is not None
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
