"""Shared fixtures: a migrated template database per session, a fresh copy per test.

RDFUND_TEST_DB=sqlite (default) or postgresql. For PostgreSQL the session starts a private
cluster on loopback unless RDFUND_TEST_PG_URL points at a server (its user may create
databases).
"""

import html
import os
import re
import shutil
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from bench.pgcluster import Cluster
from bench.redisserver import RedisServer
from portal import create_app
from portal.cli import upgrade_database
from tests import factories

BACKEND = os.environ.get("RDFUND_TEST_DB", "sqlite")


def pytest_report_header(config):
    return f"rdfund database backend: {BACKEND}"


@pytest.fixture(scope="session")
def pg_server_url():
    """Base URL (…/postgres) of a PostgreSQL server for this session."""
    if BACKEND != "postgresql":
        pytest.skip("PostgreSQL run only")
    given = os.environ.get("RDFUND_TEST_PG_URL")
    if given:
        yield given
        return
    cluster = Cluster().start()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


def _admin_execute(server_url: str, sql: str) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _with_db(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def template_database(tmp_path_factory, request):
    """Migrate once per session; tests get copies (file copy or CREATE DATABASE … TEMPLATE)."""
    if BACKEND == "postgresql":
        server = request.getfixturevalue("pg_server_url")
        name = f"rdfund_tmpl_{uuid.uuid4().hex[:8]}"
        _admin_execute(server, f'CREATE DATABASE "{name}"')
        upgrade_database(_with_db(server, name))
        yield ("postgresql", server, name)
        _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}"')
    else:
        path = tmp_path_factory.mktemp("tmpl") / "template.sqlite"
        upgrade_database(f"sqlite:///{path}")
        yield ("sqlite", None, path)


@pytest.fixture
def database_url(template_database, tmp_path):
    """A fresh, migrated database for one test."""
    kind, server, source = template_database
    if kind == "sqlite":
        target = tmp_path / "test.sqlite"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    name = f"rdfund_t_{uuid.uuid4().hex[:12]}"
    _admin_execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    yield _with_db(server, name)
    _admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_DATA": str(tmp_path / "data"),
            "PASSWORD_HASH_FAST": True,
        }
    )
    yield app
    app.extensions["rdfund.engine"].dispose()


@pytest.fixture
def session(app):
    """A session on the test database for arranging data and checking results."""
    with Session(app.extensions["rdfund.engine"], expire_on_commit=False) as s:
        yield s


@pytest.fixture
def make(session):
    """Factories bound to the test session: make.user(...), make.call(...), …"""
    return factories.Factories(session)


class PortalClient:
    """The Flask test client plus sign-in and CSRF-aware form posts."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self) -> str:
        page = self.client.get("/auth/login").get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, email: str, password: str = factories.PASSWORD):
        """Sign in; the code step is answered from the stored secret, and an administrator
        or manager without an authenticator enrols one on the way, as a person would."""
        response = self.post_form("/auth/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        target = response.headers["Location"]
        if target.startswith("/auth/code"):
            response = self.post_form(target, {"code": self.totp_code(email)})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        elif target.startswith("/account/two-factor/enrol"):
            response = self.enrol(target)
        return response

    def totp_code(self, email: str) -> str:
        from funds.accounts.services import find_user_by_email

        with Session(self.client.application.extensions["rdfund.engine"]) as s:
            return factories.totp_code(s, find_user_by_email(s, email).id)

    def enrol(self, url: str = "/account/two-factor/enrol"):
        """Complete enrolment with the key shown on the page; returns the final redirect."""
        import pyotp

        page = self.client.get(url).get_data(as_text=True)
        key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        codes = self.post_form(url, {"code": pyotp.TOTP(key).now()}).get_data(as_text=True)
        nxt = re.search(r'name="next" type="hidden" value="([^"]*)"', codes)
        return self.post_form(
            "/account/two-factor/saved", {"saved": "y", "next": html.unescape(nxt.group(1))}
        )

    def logout(self):
        return self.post_form("/auth/logout", {})

    def use_language(self, lang: str):
        """Choose the page language as a person would (saved on the account when signed in), so
        a test asserts the one string it expects."""
        assert self.post_form("/language", {"lang": lang}).status_code == 302

    def post_form(self, url: str, data: dict, **kw):
        return self.client.post(url, data={"csrf_token": self.csrf_token(), **data}, **kw)

    def preview_and_confirm(self, url: str, data: dict, **kw):
        """A closeout evaluation as a manager confirms it: preview the outcome, then confirm
        the one shown (its fingerprint travels with the confirmation)."""
        shown = self.post_form(url, {**data, "action": "preview"}).get_data(as_text=True)
        found = re.search(r'name="previewed" value="([0-9a-f]+)"', shown)
        seen = found.group(1) if found else ""
        return self.post_form(url, {**data, "action": "confirm", "previewed": seen}, **kw)


@pytest.fixture(scope="session")
def redis_server():
    """A private redis-server on a free loopback port for this session (Debian's package)."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def redis_queue(app, redis_server):
    """The task queue on the real Redis (emptied), not run in the request; a test may stop
    and restart the server. Afterwards: consumer stopped, tasks immediate again."""
    from portal import tasks

    if redis_server.process is None:
        redis_server.start()
    tasks.use_redis(redis_server.url())
    tasks.huey.flush()
    yield redis_server
    tasks.stop_consumer()
    if redis_server.process is None:
        redis_server.start()
    tasks.huey.flush()
    tasks.huey.immediate = True


@pytest.fixture
def client(app):
    return PortalClient(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
