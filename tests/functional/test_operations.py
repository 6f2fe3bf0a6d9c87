"""Health checks for the balancer, request ids in logs, headers and error pages, and metrics."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import pytest
from huey.storage import RedisStorage
from prometheus_client import REGISTRY
from sqlalchemy import create_engine

from portal import config, create_app, tasks

GIVEN_ID = "lb-7f3a9c2e01d44b6b"


@pytest.fixture
def unreachable_database(app, tmp_path):
    """The portal's engine pointed at a database that cannot be opened."""
    kept = app.extensions["rdfund.engine"]
    app.extensions["rdfund.engine"] = create_engine(f"sqlite:///{tmp_path}/missing/dir/x.sqlite")
    yield
    app.extensions["rdfund.engine"] = kept


@pytest.fixture
def unreachable_queue(monkeypatch):
    """Redis on a port where nothing listens."""
    monkeypatch.setattr(tasks.huey, "storage", RedisStorage("rdfund", url="redis://127.0.0.1:1/0"))


@pytest.fixture
def real_redis(monkeypatch, tmp_path):
    """A private Redis on a free loopback port as the queue's storage, stopped by its pid."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pidfile = tmp_path / "redis.pid"
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    storage = RedisStorage("rdfund", url=f"redis://127.0.0.1:{port}/0")
    for _ in range(50):
        try:
            storage.conn.ping()
            break
        except Exception:
            time.sleep(0.1)
    monkeypatch.setattr(tasks.huey, "storage", storage)
    yield storage
    storage.conn.close()
    if pidfile.exists():
        os.kill(int(pidfile.read_text()), signal.SIGTERM)


def test_readyz_pings_redis_when_the_queue_is_redis(client, real_redis):
    r = client.get("/readyz")
    assert (r.status_code, r.json["checks"]["queue"]) == (200, "ok")
    real_redis.enqueue(b"a queued task")
    assert "rdfund_task_queue_depth 1.0" in client.get("/metrics").get_data(as_text=True)


def test_healthz_answers_while_the_database_is_down(client, unreachable_database):
    r = client.get("/healthz")
    assert (r.status_code, r.json) == (200, {"status": "ok"})


def test_readyz_is_ready_when_database_and_queue_answer(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}


def test_readyz_names_the_unreachable_database(client, unreachable_database):
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json["checks"] == {"database": "unreachable", "queue": "ok"}


def test_readyz_names_the_unreachable_queue(client, unreachable_queue):
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.json == {"status": "unavailable", "checks": {"database": "ok", "queue": "unreachable"}}


def test_probes_set_no_cookie_even_for_a_signed_in_browser(client, make):
    make.user("applicant", email="pi@example.org")
    client.login("pi@example.org")
    for path in ("/healthz", "/readyz", "/metrics"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "Set-Cookie" not in r.headers, path


def test_a_well_formed_request_id_is_returned_and_a_malformed_one_replaced(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": GIVEN_ID}).headers["X-Request-ID"]
        == GIVEN_ID
    )
    for bad in (
        "short",
        "x" * 200,
        "two words here",
        "abcdefgh;Set-Cookie:a=b",
        "<script>alert(1)</script>",
    ):
        returned = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert returned != bad
        assert re.fullmatch(r"[0-9a-f]{32}", returned)
    first, second = (client.get("/healthz").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def _logging_app(database_url, tmp_path, log_format):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_DATA": str(tmp_path / "data"),
            "LOG_FORMAT": log_format,
            "LOG_LEVEL": "INFO",  # tests log warnings only, unless asked
        }
    )

    @app.get("/test-boom")
    def boom():
        raise RuntimeError("the bug a user reports")

    return app


@pytest.fixture
def json_app(database_url, tmp_path):
    app = _logging_app(database_url, tmp_path, "json")
    yield app
    app.extensions["rdfund.engine"].dispose()


@pytest.fixture
def text_app(database_url, tmp_path):
    app = _logging_app(database_url, tmp_path, "text")
    yield app
    app.extensions["rdfund.engine"].dispose()


def _lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def test_every_log_line_of_a_failing_request_is_json_with_its_id(json_app, capsys):
    capsys.readouterr()
    r = json_app.test_client().get("/test-boom", headers={"X-Request-ID": GIVEN_ID})
    assert r.status_code == 500
    assert GIVEN_ID in r.get_data(as_text=True)  # the page shows what to quote
    lines = [line for line in _lines(capsys.readouterr().err) if line["request_id"] == GIVEN_ID]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert "RuntimeError: the bug a user reports" in error["exception"]
    access = next(line for line in lines if line["logger"] == "rdfund.access")
    assert (access["path"], access["status"], access["endpoint"]) == ("/test-boom", 500, "boom")


def test_error_pages_show_the_request_id_in_either_language(client):
    r = client.get("/no-such-page", headers={"X-Request-ID": GIVEN_ID})
    assert r.status_code == 404
    assert f"mã tham chiếu này: {GIVEN_ID}" in r.get_data(as_text=True)
    client.use_language("en")
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "quote this reference: " in page


def test_development_logs_are_text_lines_with_the_id(text_app, capsys):
    capsys.readouterr()
    text_app.test_client().get("/healthz", headers={"X-Request-ID": GIVEN_ID})
    line = next(x for x in capsys.readouterr().err.splitlines() if "rdfund.access" in x)
    assert f"INFO [{GIVEN_ID}] rdfund.access: GET /healthz 200" in line


@pytest.mark.parametrize(
    "given, log_format, level",
    [
        ({}, "json", "INFO"),  # production
        ({"DEV_MODE": True}, "text", "INFO"),
        ({"TESTING": True}, "text", "WARNING"),
        ({"LOG_FORMAT": "text", "LOG_LEVEL": "DEBUG"}, "text", "DEBUG"),
    ],
)
def test_log_format_and_level_follow_the_mode_unless_configured(given, log_format, level):
    settings = config.defaults("/tmp") | {"SECRET_KEY": "k"} | given
    config.finish(settings)
    assert (settings["LOG_FORMAT"], settings["LOG_LEVEL"]) == (log_format, level)


def test_an_unknown_log_format_stops_the_start():
    with pytest.raises(config.ConfigError, match="RDFUND_LOG_FORMAT"):
        config.finish(config.defaults("/tmp") | {"SECRET_KEY": "k", "LOG_FORMAT": "xml"})


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_are_read_from_loopback_only_unless_a_token_is_given(app, client):
    assert client.get("/metrics").status_code == 200
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", environ_base=elsewhere).status_code == 403
    proxied = {"X-Forwarded-For": "203.0.113.9"}  # a balancer on this machine forwards everyone
    assert client.get("/metrics", headers=proxied).status_code == 403
    app.config["METRICS_TOKEN"] = "s3cret-token-for-prometheus"
    wrong = {"Authorization": "Bearer guess"}
    assert client.get("/metrics", environ_base=elsewhere, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer s3cret-token-for-prometheus"}
    r = client.get("/metrics", environ_base=elsewhere, headers=right)
    assert r.status_code == 200
    assert r.content_type.startswith("text/plain")
    app.config["METRICS_ALLOW_LOOPBACK"] = False
    assert client.get("/metrics").status_code == 403


def test_metrics_count_requests_latency_and_the_queue(client):
    labels = {"endpoint": "ops.healthz", "method": "GET", "status": "200"}
    before = _value("rdfund_http_requests_total", **labels)
    latencies = _value("rdfund_http_request_duration_seconds_count", endpoint="ops.healthz")
    for _ in range(3):
        client.get("/healthz")
    client.get("/no-such-page")
    assert _value("rdfund_http_requests_total", **labels) == before + 3
    assert (
        _value("rdfund_http_request_duration_seconds_count", endpoint="ops.healthz")
        == latencies + 3
    )
    text = client.get("/metrics").get_data(as_text=True)
    assert 'rdfund_http_requests_total{endpoint="unmatched",method="GET",status="404"}' in text
    assert "rdfund_task_queue_depth 0.0" in text
    assert "rdfund_http_request_duration_seconds_bucket" in text


@tasks.huey.task()
def _sample_task(fail: bool) -> str:
    if fail:
        raise ValueError("failed on purpose")
    return "done"


def test_task_durations_are_observed_by_outcome(app):
    name = _sample_task.task_class.__name__
    ok = _value("rdfund_task_duration_seconds_count", task=name, outcome="ok")
    failed = _value("rdfund_task_duration_seconds_count", task=name, outcome="error")
    _sample_task(False)
    _sample_task(True)
    assert _value("rdfund_task_duration_seconds_count", task=name, outcome="ok") == ok + 1
    assert _value("rdfund_task_duration_seconds_count", task=name, outcome="error") == failed + 1


def test_failed_sign_ins_are_counted(client, make):
    make.user("applicant", email="pi@example.org")
    before = _value("rdfund_sign_in_failures_total", reason="password")
    for _ in range(2):
        r = client.post_form("/auth/login", {"email": "pi@example.org", "password": "wrong" * 3})
        assert r.status_code == 200
    client.post_form("/auth/login", {"email": "nobody@example.org", "password": "wrong" * 3})
    assert _value("rdfund_sign_in_failures_total", reason="password") == before + 3
    client.login("pi@example.org")
    assert _value("rdfund_sign_in_failures_total", reason="password") == before + 3


def test_metrics_show_unfinished_outbox_rows_and_the_oldest_wait(client, session):
    from datetime import timedelta

    from funds.clock import utcnow
    from funds.outbox.models import OutboxMessage

    session.add(OutboxMessage(task="notification", created_at=utcnow() - timedelta(minutes=7)))
    session.add(OutboxMessage(task="notification", state="dead", attempts=8))
    session.add(OutboxMessage(task="notification", state="done"))
    session.commit()
    text = client.get("/metrics").get_data(as_text=True)
    assert 'rdfund_outbox_rows{state="pending"} 1.0' in text
    assert 'rdfund_outbox_rows{state="dead"} 1.0' in text
    assert 'state="done"' not in text
    oldest = re.search(r"^rdfund_outbox_oldest_pending_seconds (\S+)$", text, re.M)
    assert 420 <= float(oldest.group(1)) < 600
