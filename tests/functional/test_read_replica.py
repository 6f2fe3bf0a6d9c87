"""A read replica (DATABASE_REPLICA_URL) serves reports; the primary keeps everything else."""

import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from tests.budget_data import write_files
from tests.conftest import PortalClient, _admin_execute, _with_db


def _copy_database(url: str) -> str:
    """A copy of the database as it is now: what a replica holds once it has caught up."""
    if url.startswith("sqlite"):
        source = url.removeprefix("sqlite:///")
        target = source.replace(".sqlite", "-replica.sqlite")
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    server, _, name = url.rpartition("/")
    copy = f"rdfund_r_{uuid.uuid4().hex[:12]}"
    _admin_execute(server + "/postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return _with_db(server + "/postgres", copy)


def _change_allocations(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE fund_allocation SET amount_vnd = 777777"))
    engine.dispose()


@pytest.fixture
def replica_app(app, runner, tmp_path, database_url):
    """The budget imported, then copied to a replica; then changed on the primary alone (a
    replica that has not caught up yet)."""
    assert runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))]).exit_code == 0
    app.extensions["rdfund.engine"].dispose()
    replica_url = _copy_database(database_url)
    _change_allocations(database_url)
    config = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "INSTANCE_DATA")}
    both = create_app(
        {
            **config,
            "DATABASE_URL": database_url,
            "DATABASE_REPLICA_URL": replica_url,
            "PASSWORD_HASH_FAST": True,
        }
    )
    yield both
    both.extensions["rdfund.engine"].dispose()
    both.extensions["rdfund.replica"].dispose()
    if not replica_url.startswith("sqlite"):
        server, _, name = replica_url.rpartition("/")
        _admin_execute(server + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_reports_read_the_replica_and_sign_in_writes_the_primary(client, make, replica_app):
    email = make.manager().email  # created in the primary, after the copy: not in the replica
    other = PortalClient(replica_app.test_client())
    other.login(email)  # sign-in and its session are read and written on the primary
    other.post_form("/language", {"lang": "en"})
    page = other.get("/budget/?year=2026").get_data(as_text=True)
    assert "NAF — Quỹ A" in page
    assert "₫777,777" not in page  # the replica's figures
    client.login(email)  # the same page on the primary alone has the new ones
    client.post_form("/language", {"lang": "en"})
    assert "₫777,777" in client.get("/budget/?year=2026").get_data(as_text=True)


def test_readyz_names_an_unreachable_replica(replica_app, tmp_path):
    client = replica_app.test_client()
    assert client.get("/readyz").get_json()["checks"]["replica"] == "ok"
    replica_app.extensions["rdfund.replica"].dispose()
    replica_app.extensions["rdfund.replica"] = create_engine(
        f"sqlite:///{tmp_path}/missing/dir/replica.sqlite"
    )
    answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.get_json()["checks"]
    assert checks == {"database": "ok", "queue": "ok", "replica": "unreachable"}
