"""The pool outlives the database's connections: a restart or failover costs no 500 page."""

import pytest
from sqlalchemy import create_engine, text

from portal import db
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL connections")


def _drop_connections(database_url: str) -> int:
    """What a server restart does to the portal's pooled connections."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    admin.dispose()
    return killed


@pytest.fixture
def signed_in(client, make, session):
    make.user("applicant", email="pi@example.org")
    session.close()
    client.login("pi@example.org")
    assert client.get("/proposals").status_code == 200  # a pooled connection now exists
    return client


def test_an_idle_pooled_connection_that_died_is_replaced_before_use(signed_in, database_url,
                                                                     monkeypatch):
    assert _drop_connections(database_url) >= 1
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert signed_in.get("/proposals").status_code == 200


def test_a_connection_lost_in_steady_use_gets_503_then_the_next_request_works(signed_in,
                                                                             database_url):
    assert _drop_connections(database_url) >= 1
    lost = signed_in.get("/proposals")
    assert lost.status_code == 503 and lost.headers["Retry-After"] == "5"
    assert "kết nối" in lost.get_data(as_text=True) or "connection" in lost.get_data(as_text=True)
    assert signed_in.get("/proposals").status_code == 200
