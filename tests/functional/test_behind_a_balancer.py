"""Behind a balancer (PROXY_COUNT): the client's own address, never a forged one."""

import pytest
from sqlmodel import select

from funds.accounts.models import UserSession
from portal import create_app
from tests.conftest import PortalClient


@pytest.fixture
def balanced_app(app):
    """The test app's database, served as if behind one balancer (nginx)."""
    config = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "INSTANCE_DATA")}
    behind = create_app(
        {
            **config,
            "DATABASE_URL": app.config["DATABASE_URL"],
            "PROXY_COUNT": 1,
            "PASSWORD_HASH_FAST": True,
        }
    )
    yield behind
    behind.extensions["rdfund.engine"].dispose()


def _signed_in_ip(client, session, email, forwarded: str) -> str:
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    client.login(email)
    session.expire_all()
    rows = session.exec(select(UserSession).order_by(UserSession.id)).all()
    return rows[-1].client_ip


def test_behind_a_balancer_the_session_records_the_forwarded_client(balanced_app, make, session):
    email = make.user("applicant").email
    client = PortalClient(balanced_app.test_client())
    assert _signed_in_ip(client, session, email, "203.0.113.9") == "203.0.113.9"


def test_without_a_declared_balancer_a_forwarded_address_is_ignored(client, make, session):
    email = make.user("applicant").email
    assert _signed_in_ip(client, session, email, "203.0.113.9") == "127.0.0.1"


def test_behind_a_balancer_metrics_stay_closed_to_forwarded_requests(balanced_app):
    client = balanced_app.test_client()
    answer = client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert answer.status_code == 403
