"""Dumping and loading the database for backups: SQLite through its online backup API (a
consistent copy while the portal runs), PostgreSQL through pg_dump/pg_restore in custom format
from the Debian client of the server's major version."""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

PG_ROOT = Path("/usr/lib/postgresql")


class DatabaseError(Exception):
    """The database cannot be dumped or loaded; the message says why."""


def kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(f"backups support SQLite and PostgreSQL, not {backend}")
    return backend


def _sqlite_path(url: str) -> Path:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise DatabaseError("an in-memory SQLite database cannot be backed up")
    return Path(path)


def revisions(url: str) -> list[str]:
    """The Alembic revision(s) the database is at ([] before any migration)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return []
            return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def is_empty(url: str) -> bool:
    """No table at all (a database just created, or a SQLite file not there yet)."""
    if kind(url) == "sqlite" and not _sqlite_path(url).exists():
        return True
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def dump(url: str, out: Path) -> None:
    """A consistent copy of the whole database in `out`."""
    if kind(url) == "sqlite":
        path = _sqlite_path(url)
        if not path.is_file():
            raise DatabaseError(f"no SQLite database at {path}")
        source, target = sqlite3.connect(path), sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
        return
    _run_pg("pg_dump", url, "--format=custom", "--no-owner", "--no-privileges", f"--file={out}")


def load(url: str, src: Path, *, replace: bool) -> None:
    """Load a dump made by `dump` (`replace`: drop what the dump recreates first)."""
    if kind(url) == "sqlite":
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        if not target_path.exists():  # a journal left by a lost file must not be replayed
            for suffix in ("-wal", "-shm"):
                Path(f"{target_path}{suffix}").unlink(missing_ok=True)
        source, target = sqlite3.connect(src), sqlite3.connect(target_path)
        try:
            source.backup(target)  # page by page, replacing whatever the file held
        finally:
            source.close()
            target.close()
        return
    options = ["--clean", "--if-exists"] if replace else []
    _run_pg(
        "pg_restore",
        url,
        *options,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        str(src),
    )


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (which goes in PGPASSWORD, out of `ps`)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = URL.create(
        "postgresql",
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return plain.render_as_string(hide_password=False), env


def server_major(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()


def pg_binary(name: str, major: int, root: Path = PG_ROOT) -> Path:
    """The client of the server's major version, else the oldest newer one (pg_dump reads
    older servers, never newer ones)."""
    found = sorted(
        (int(p.parent.parent.name), p)
        for p in root.glob(f"*/bin/{name}")
        if p.parent.parent.name.isdigit()
    )
    for version, path in found:
        if version >= major:
            return path
    raise DatabaseError(
        f"{name} for PostgreSQL {major} not found under {root}: "
        f"apt-get install postgresql-client-{major}"
    )


# A restore waits this long for a table another connection holds, then fails: the portal and
# its workers should be stopped first, and a hung restore is worse than a clear error.
LOCK_TIMEOUT_MS = 30_000


def _run_pg(name: str, url: str, *args: str) -> None:
    binary = pg_binary(name, server_major(url))
    uri, env = _libpq(url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT_MS}".strip()
    done = subprocess.run(
        [str(binary), f"--dbname={uri}", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise DatabaseError(f"{name} failed: {done.stderr.strip()[-2000:]}")
