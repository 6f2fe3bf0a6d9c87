"""Two-factor sign-in and re-authentication, through the test client."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from funds.accounts.mfa import rules
from funds.accounts.mfa.models import RecoveryCode, TotpCredential
from funds.accounts.models import UserSession
from funds.audit.models import AuditEntry
from funds.clock import utcnow
from tests.factories import PASSWORD, totp_code


def password_step(client, email, password=PASSWORD, next_url=None):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post_form(url, {"email": email, "password": password})


def signed_in(client) -> bool:
    """Whether the browser has a live session (the account page needs one)."""
    return client.get("/account/two-factor").status_code == 200


def code_now(session, user, offset=0) -> str:
    return rules.code_at(user.totp_secret, rules.time_step(utcnow()) + offset)


def age_sessions(session, user, minutes=11):
    """Move the sign-in back in time instead of waiting."""
    for live in session.exec(select(UserSession).where(UserSession.user_id == user.id)):
        live.authenticated_at = utcnow() - timedelta(minutes=minutes)
        session.add(live)
    session.commit()


# --- Mandatory enrolment -------------------------------------------------------------------


def test_a_manager_without_an_authenticator_must_enrol_before_anything_else(client, make, session):
    manager = make.user("manager", totp=False)
    r = password_step(client, manager.email)
    assert r.location.startswith("/account/two-factor/enrol")
    for url in ("/review-management/", "/admin/users", "/manage", "/budget/", "/"):
        r = client.get(url)
        assert r.status_code == 302, url
        assert r.location.startswith("/account/two-factor/enrol"), url
    page = client.get("/account/two-factor/enrol").get_data(as_text=True)
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert "otpauth://totp/rdfund:" in page
    assert "<svg" in page
    assert client.post_form("/account/two-factor/enrol", {"code": "000000"}).status_code == 200
    assert client.get("/review-management/").status_code == 302
    r = client.post_form("/account/two-factor/enrol", {"code": pyotp.TOTP(key).now()})
    codes = re.findall(
        r"<code>([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</code>", r.get_data(as_text=True)
    )
    assert len(codes) == 10
    assert client.get("/review-management/").status_code == 200
    live = session.exec(select(UserSession).where(UserSession.user_id == manager.id)).one()
    assert live.second_factor
    cred = session.exec(select(TotpCredential).where(TotpCredential.user_id == manager.id)).one()
    assert key not in cred.secret  # sealed at rest
    hashes = [c.code_hash for c in session.exec(select(RecoveryCode))]
    assert len(hashes) == 10
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)


def test_the_enrolment_redirect_keeps_where_the_manager_was_going(client, make):
    manager = make.user("manager", totp=False)
    password_step(client, manager.email, next_url="/review-management/")
    r = client.enrol("/account/two-factor/enrol?next=/review-management/")
    assert r.location == "/review-management/"


def test_an_applicant_is_not_asked_for_a_second_factor(client, make):
    applicant = make.user("applicant")
    r = password_step(client, applicant.email)
    assert r.status_code == 302
    assert not r.location.startswith(("/auth/code", "/account"))
    assert client.get("/proposals").status_code == 200


# --- The code step -------------------------------------------------------------------------


def test_an_enrolled_manager_is_not_signed_in_by_the_password_alone(client, make):
    manager = make.manager()
    r = password_step(client, manager.email)
    assert r.location.startswith("/auth/code")
    assert not signed_in(client)
    r = client.get("/review-management/")
    assert r.status_code == 302
    assert r.location.startswith("/auth/login")


def test_the_right_code_signs_in_with_the_second_factor_recorded(client, make, session):
    manager = make.manager()
    password_step(client, manager.email, next_url="/review-management/")
    r = client.post_form(
        "/auth/code?next=/review-management/", {"code": totp_code(session, manager.id)}
    )
    assert r.location == "/review-management/"
    assert client.get("/review-management/").status_code == 200
    live = session.exec(select(UserSession).where(UserSession.user_id == manager.id)).one()
    assert live.second_factor
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "sign_in")).all()[-1]
    assert entry.detail.startswith("password+totp")


def test_a_wrong_code_is_refused_and_logged_without_the_code(client, make, session):
    manager = make.manager()
    password_step(client, manager.email)
    wrong = f"{(int(code_now(session, manager)) + 1) % 10**6:06d}"
    r = client.post_form("/auth/code", {"code": wrong})
    assert r.status_code == 200
    assert "4" in r.get_data(as_text=True)
    assert not signed_in(client)
    failed = session.exec(select(AuditEntry).where(AuditEntry.action == "mfa_code_failed")).one()
    assert failed.object_id == manager.id
    assert wrong not in failed.detail


def test_a_code_already_used_is_refused(client, make, session):
    manager = make.manager()
    code = totp_code(session, manager.id)
    password_step(client, manager.email)
    assert client.post_form("/auth/code", {"code": code}).status_code == 302
    client.logout()
    password_step(client, manager.email)
    r = client.post_form("/auth/code", {"code": code})
    assert r.status_code == 200
    assert not signed_in(client)


def test_five_wrong_codes_send_the_person_back_to_the_password(client, make, session):
    manager = make.manager()
    password_step(client, manager.email)
    for _ in range(4):
        assert client.post_form("/auth/code", {"code": "ABCD-EFGH-JKMN"}).status_code == 200
    r = client.post_form("/auth/code", {"code": "ABCD-EFGH-JKMN"})
    assert r.location.startswith("/auth/login")
    r = client.post_form("/auth/code", {"code": totp_code(session, manager.id)})
    assert r.location.startswith("/auth/login")
    assert not signed_in(client)


def test_the_code_step_expires_after_five_minutes(client, make, session):
    manager = make.manager()
    password_step(client, manager.email)
    with client.session_transaction() as flask_session:
        pending = dict(flask_session["mfa_pending"])
        flask_session["mfa_pending"] = {**pending, "at": pending["at"] - 301}
    r = client.post_form("/auth/code", {"code": totp_code(session, manager.id)})
    assert r.location.startswith("/auth/login")
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, make, session):
    manager = make.manager()
    spare = manager.totp_recovery_codes[3]
    password_step(client, manager.email)
    r = client.post_form("/auth/code", {"code": spare.lower().replace("-", " ")})
    assert r.location == "/account/two-factor"
    assert "9" in client.get("/account/two-factor").get_data(as_text=True)
    client.logout()
    password_step(client, manager.email)
    assert client.post_form("/auth/code", {"code": spare}).status_code == 200
    assert not signed_in(client)
    used = session.exec(
        select(AuditEntry).where(AuditEntry.action == "mfa_recovery_code_used")
    ).one()
    assert spare not in used.detail


# --- The account's settings ----------------------------------------------------------------


def test_an_applicant_may_turn_two_factor_on_and_off(client, make, session):
    applicant = make.user("applicant")
    client.login(applicant.email)
    client.enrol()
    assert session.exec(select(TotpCredential)).one().secret is not None
    client.logout()
    assert client.login(applicant.email).location == "/"  # asked for (and given) a code
    r = client.post_form("/account/two-factor/disable", {})
    assert r.status_code == 302
    assert session.exec(select(TotpCredential)).first() is None
    actions = set(session.exec(select(AuditEntry.action)).all())
    assert {"mfa_enabled", "mfa_disabled"} <= actions


def test_a_manager_cannot_turn_two_factor_off(client, make, session):
    manager = make.manager()
    client.login(manager.email)
    assert "disable" not in client.get("/account/two-factor").get_data(as_text=True)
    client.post_form("/account/two-factor/disable", {})
    assert session.exec(select(TotpCredential)).one().secret is not None


def test_new_recovery_codes_replace_the_old_ones(client, make, session):
    manager = make.manager()
    client.login(manager.email)
    r = client.post_form("/account/two-factor/recovery-codes", {})
    assert len(re.findall(r"<code>[2-9A-Z-]{14}</code>", r.get_data(as_text=True))) == 10
    client.logout()
    password_step(client, manager.email)
    assert (
        client.post_form("/auth/code", {"code": manager.totp_recovery_codes[0]}).status_code == 200
    )


def test_an_administrator_resets_a_lost_authenticator(client, make, session):
    manager = make.manager()
    admin = make.user("admin")
    client.login(admin.email)
    client.post_form(f"/admin/users/{manager.id}/two-factor/reset", {})
    assert (
        session.exec(select(TotpCredential).where(TotpCredential.user_id == manager.id)).first()
        is None
    )
    client.logout()
    assert password_step(client, manager.email).location.startswith("/account/two-factor/enrol")


# --- Re-authentication ---------------------------------------------------------------------


def test_a_stale_session_confirms_before_an_export_and_comes_back(client, make, session):
    manager = make.manager()
    call = make.call()
    client.login(manager.email)
    url = f"/calls/{call.id}/submissions.xlsx"
    assert client.get(url).status_code == 200
    age_sessions(session, manager)
    r = client.get(url)
    assert r.status_code == 302
    assert r.location.startswith("/auth/confirm?next=")
    page = client.get(r.location).get_data(as_text=True)
    assert 'name="password"' in page
    assert 'name="code"' in page
    wrong = client.post_form(
        r.location, {"password": "wrong-password-123", "code": totp_code(session, manager.id)}
    )
    assert wrong.status_code == 200
    back = client.post_form(
        r.location, {"password": PASSWORD, "code": totp_code(session, manager.id)}
    )
    assert back.location == url
    assert client.get(url).status_code == 200
    assert "reauthenticated" in set(session.exec(select(AuditEntry.action)).all())


def test_a_stale_decision_is_not_recorded_and_the_form_page_is_shown_again(client, make, session):
    manager = make.manager()
    proposal = make.proposal(submit=True)
    client.login(manager.email)
    age_sessions(session, manager)
    page = f"/proposals/{proposal.id}"
    r = client.post_form(
        f"/proposals/{proposal.id}/decision",
        {"outcome": "funded"},
        headers={"Referer": f"http://localhost{page}"},
    )
    assert r.location.startswith("/auth/confirm?next=")
    assert page in r.location
    from funds.proposals import queries

    assert queries.decision_for(session, proposal.id) is None
    back = client.post_form(
        r.location, {"password": PASSWORD, "code": totp_code(session, manager.id)}
    )
    assert back.location == page


def test_a_confirmation_without_an_authenticator_asks_only_the_password(client, make, session):
    applicant = make.user("applicant")
    client.login(applicant.email)
    age_sessions(session, applicant)
    r = client.get("/account/two-factor/enrol")
    assert r.location.startswith("/auth/confirm")
    assert 'name="code"' not in client.get(r.location).get_data(as_text=True)
    assert client.post_form(r.location, {"password": PASSWORD}).status_code == 302
    assert client.get("/account/two-factor/enrol").status_code == 200


@pytest.mark.parametrize(
    "endpoint",
    [
        "admin.new_user",
        "admin.user",
        "admin.set_user_active",
        "admin.send_password_link",
        "budget.edit_rule",
        "review_admin.decide",
        "review_admin.override",
        "proposals.decide",
        "projects.review_report",
        "projects.evaluation",
        "calls.submissions_xlsx",
        "calls.submissions_csv",
        "calls.submissions_zip",
        "jobs.download",
        "calls.add_manager",
        "calls.remove_manager",
        "privacy.export_mine",
        "privacy.delete",
        "privacy.person",
        "privacy.export_for",
        "mfa.enrol",
        "mfa.disable",
        "mfa.recovery_codes",
        "mfa.reset_user",
    ],
)
def test_sensitive_actions_need_a_recent_sign_in(app, endpoint):
    assert getattr(app.view_functions[endpoint], "reauth_required", False)
