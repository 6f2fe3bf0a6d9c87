"""The database engine, and one session per request."""

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


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
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def init_app(app: Flask) -> None:
    app.extensions["rdfund.engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["rdfund.engine"]


def session() -> Session:
    """The request's session, opened on first use (expire_on_commit off for redirects)."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def commit() -> None:
    """The edge commits once, after the service returned."""
    session().commit()


def _close_session(_exc=None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.rollback()
        s.close()
