"""The database engine, and one session per request."""

import time

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, create_engine

# A pooled connection idle longer than this is pinged before use (PgBouncer's
# server_check_delay, 30 s there); one in steady use is not, a round trip saved per request.
PING_AFTER_IDLE_SECONDS = 10.0


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys and a busy timeout, PostgreSQL a pool check."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Pessimistic disconnect handling for connections that sat idle in the pool: a dead one
    is replaced before the request uses it (SQLAlchemy retries the checkout). A connection
    dropped while in steady use fails its request with 503 (see portal.errors) and is
    discarded, with the rest of the pool."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_conn, record, _proxy) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("idle pooled connection is dead") from exc


def init_app(app: Flask) -> None:
    app.extensions["rdfund.engine"] = make_engine(app.config["DATABASE_URL"])
    replica = app.config.get("DATABASE_REPLICA_URL")
    app.extensions["rdfund.replica"] = make_engine(replica) if replica else None
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["rdfund.engine"]


def session() -> Session:
    """The request's session, opened on first use (expire_on_commit off for redirects)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def read_session() -> Session:
    """A session for reading reports and public pages: on the read replica when
    DATABASE_REPLICA_URL is set (docs/deployment.md), otherwise the request's own session.
    Never write through it; a replica may lag the primary by a moment, which reports and
    public pages tolerate and anything a user has just changed does not."""
    replica = current_app.extensions.get("rdfund.replica")
    if replica is None:
        return session()
    if "db_read_session" not in g:
        g.db_read_session = Session(replica, expire_on_commit=False)
    return g.db_read_session


def discard_session() -> None:
    """Roll back and drop the request's session (after a lost connection, say); the next
    use opens a new one."""
    _close_session()


def _close_session(_exc=None) -> None:
    for name in ("db_session", "db_read_session"):
        s = g.pop(name, None)
        if s is not None:
            s.rollback()
            s.close()
