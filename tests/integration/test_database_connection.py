"""The pool outlives the database's connections: a restart or failover costs no 500 page."""

import pytest
from sqlalchemy import create_engine, text

from portal import db
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL connections")


def _drop_connections(database_url: str, database: str | None = None) -> int:
    """What a server restart does to the portal's pooled connections (of `database`, by
    default the one connected to)."""
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = coalesce(:db, current_database()) AND pid <> pg_backend_pid()"
            ),
            {"db": database},
        ).scalar_one()
    admin.dispose()
    return killed


@pytest.fixture
def signed_in(client, make, session):
    make.user("applicant", email="pi@example.org")
    session.close()
    client.login("pi@example.org")
    assert client.get("/proposals").status_code == 200  # a pooled connection now exists
    return client


def test_an_idle_pooled_connection_that_died_is_replaced_before_use(
    signed_in, database_url, monkeypatch
):
    assert _drop_connections(database_url) >= 1
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert signed_in.get("/proposals").status_code == 200


def test_a_connection_lost_in_steady_use_gets_503_then_the_next_request_works(
    signed_in, database_url
):
    assert _drop_connections(database_url) >= 1
    lost = signed_in.get("/proposals")
    assert lost.status_code == 503
    assert lost.headers["Retry-After"] == "5"
    assert "kết nối" in lost.get_data(as_text=True)  # the account is in Vietnamese
    assert signed_in.get("/proposals").status_code == 200


def test_while_the_database_stays_down_the_503_page_needs_nothing_from_it(signed_in, database_url):
    name = database_url.rsplit("/", 1)[1]
    server = create_engine(
        database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with server.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        try:
            assert (
                _drop_connections(database_url.rsplit("/", 1)[0] + "/postgres", database=name) >= 1
            )
            down = signed_in.get("/proposals")
            page = down.get_data(as_text=True)
            assert down.status_code == 503
            assert down.headers["Retry-After"] == "5"
            assert "Không có gì bị lưu dở" in page
            assert "Nothing was half-saved" in page
        finally:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    server.dispose()
    assert signed_in.get("/proposals").status_code == 200
