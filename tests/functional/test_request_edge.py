"""The request edge (portal.edge): one commit per request or command, a domain error rolled
back and shown at its field, side effects (e-mails) only after a commit that succeeded."""

import re

import pytest
from flask import get_flashed_messages
from sqlmodel import select

from funds.accounts import services as accounts
from funds.accounts.models import AccountToken, User
from funds.audit.models import AuditEntry
from funds.calls import services as calls
from funds.calls.models import Fund
from funds.errors import RuleViolation
from funds.rules import Violation
from portal import db, edge
from portal.projects import cli as projects_cli
from tests.functional.test_projects_batch import award  # noqa: F401  (a fixture)
from tests.mailbox import messages


def _conflicting_account(s, email: str) -> None:
    """A second account with a taken address: the commit fails on the unique index."""
    s.add(User(email=email, name="Trùng địa chỉ", password_hash="x"))


def test_a_domain_error_rolls_back_and_is_shown_at_its_field(client, make, session, monkeypatch):
    def create_then_refuse(s, **kw):
        calls.create_fund(s, **kw)  # written and flushed, with its audit entry
        raise RuleViolation(
            "Refused after writing.", violations=[Violation("name", "Not this name.")]
        )

    monkeypatch.setattr("portal.calls.views.create_fund", create_then_refuse)
    client.login(make.manager().email)
    r = client.post_form("/funds/new", {"code": "EDGE", "name": "Quỹ bị từ chối"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Refused after writing." in page
    name_field = re.search(r'<div class="field has-error">(.*?)</div>', page, re.S).group(1)
    assert 'name="name"' in name_field
    assert 'value="Quỹ bị từ chối"' in name_field
    assert '<p class="error" role="alert">Not this name.</p>' in name_field
    assert 'value="EDGE"' in page  # nothing typed is lost
    assert session.exec(select(Fund).where(Fund.code == "EDGE")).first() is None
    assert session.exec(select(AuditEntry).where(AuditEntry.object_type == "fund")).all() == []


def test_a_refused_call_leaves_nothing_behind_in_the_request_session(app, make):
    manager = make.manager()

    def create_then_refuse():
        calls.create_fund(db.session(), actor=manager, code="GONE", name="Quỹ")
        raise RuleViolation("Refused after writing.")

    with app.test_request_context("/"):
        done = edge.run(create_then_refuse)
        assert not done
        assert done.error.message == "Refused after writing."
        assert get_flashed_messages() == ["Refused after writing."]
        assert db.session().exec(select(Fund).where(Fund.code == "GONE")).first() is None


def test_an_email_queued_in_a_request_whose_commit_fails_is_never_sent(
    app, client, make, session, monkeypatch
):
    user, other = make.user("applicant"), make.user("applicant")
    real = accounts.request_password_reset

    def reset_then_conflict(s, **kw):
        found = real(s, **kw)
        _conflicting_account(s, other.email)
        return found

    monkeypatch.setattr(accounts, "request_password_reset", reset_then_conflict)
    assert client.post_form("/auth/forgot", {"email": user.email}).status_code == 500
    assert messages(app, user.email) == []
    assert session.exec(select(AccountToken).where(AccountToken.user_id == user.id)).all() == []


def test_an_email_queued_in_a_request_that_commits_is_sent(app, client, make, session):
    user = make.user("applicant")
    assert client.post_form("/auth/forgot", {"email": user.email}).status_code == 200
    assert len(messages(app, user.email)) == 1
    assert session.exec(select(AccountToken).where(AccountToken.user_id == user.id)).one()


def test_reminders_are_mailed_only_once_their_log_is_committed(
    app,
    make,
    session,
    award,  # noqa: F811
    monkeypatch,
):
    real = projects_cli.log_reminder
    taken = make.user("applicant").email

    def log_then_conflict(s, reminder):
        real(s, reminder)
        _conflicting_account(s, taken)

    monkeypatch.setattr(projects_cli, "log_reminder", log_then_conflict)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["send-reminders", "--today", "2026-07-10"]).exit_code != 0
    assert messages(app) == []
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "reminder")).all() == []
    monkeypatch.setattr(projects_cli, "log_reminder", real)
    assert (
        "1 reminders sent" in runner.invoke(args=["send-reminders", "--today", "2026-07-10"]).output
    )
    assert len(messages(app)) == 1


def _refuse_after_queueing(effect) -> None:
    with edge.transaction():
        edge.after_commit(effect, "rolled back")
        raise LookupError("refused")


def test_the_outbox_runs_after_the_commit_and_is_dropped_on_rollback(app):
    ran = []
    with app.test_request_context("/"):
        with pytest.raises(LookupError, match="refused"):
            _refuse_after_queueing(ran.append)
        with edge.transaction():
            edge.after_commit(ran.append, "committed")
            assert ran == []
        assert ran == ["committed"]


def test_a_side_effect_outside_a_transaction_is_refused(app):
    with app.test_request_context("/"), pytest.raises(RuntimeError):
        edge.after_commit(print, "it would never run")
