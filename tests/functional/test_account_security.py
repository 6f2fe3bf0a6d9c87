"""Accounts to OWASP ASVS 5.0 level 2: each finding of issue #11 reproduced, and fixed."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import AccountToken, SignInThrottle, User, UserSession
from funds.accounts.passwords import verify_password
from funds.audit.models import AuditEntry
from funds.clock import utcnow
from tests.factories import PASSWORD
from tests.mailbox import last_secret, messages

GOOD = {
    "name": "Nguyễn Văn A",
    "email": "a@example.org",
    "institution": "Viện Vật lý",
    "orcid": "",
    "password": "mười-hai-ký-tự",
    "confirm": "mười-hai-ký-tự",
    "consent": "y",
}


def _actions(session, user_id):
    return [
        e.action
        for e in session.exec(
            select(AuditEntry)
            .where(AuditEntry.object_type == "user", AuditEntry.object_id == user_id)
            .order_by(AuditEntry.id)
        )
    ]


def _follow_link(client, secret, **form):
    return client.post_form("/auth/link", {"token": secret, **form})


# --- Registration verifies the address -----------------------------------------------------


def test_registration_needs_the_emailed_link_before_the_account_can_act(app, client, session):
    r = client.post_form("/auth/register", GOOD)
    assert r.status_code == 200
    assert "a@example.org" in r.get_data(as_text=True)
    user = session.exec(select(User).where(User.email == "a@example.org")).one()
    assert user.email_verified_at is None
    assert user.consent_version
    assert client.get("/proposals").status_code == 302  # not signed in
    r = client.post_form("/auth/login", {"email": "a@example.org", "password": GOOD["password"]})
    assert r.status_code == 200
    assert client.get("/proposals").status_code == 302

    r = _follow_link(client, last_secret(app, "a@example.org"))
    assert r.status_code == 302
    client.login("a@example.org", GOOD["password"])
    assert client.get("/proposals").status_code == 200
    session.expire_all()
    assert session.get(User, user.id).email_verified_at is not None
    assert "confirm_email" in _actions(session, user.id)


def test_the_confirmation_link_works_once(app, client):
    client.post_form("/auth/register", GOOD)
    secret = last_secret(app, "a@example.org")
    assert _follow_link(client, secret).status_code == 302
    assert _follow_link(client, secret).status_code == 400


def test_registration_does_not_reveal_that_an_address_has_an_account(app, client, make):
    make.user("applicant", email="taken@example.org")
    r_taken = client.post_form("/auth/register", {**GOOD, "email": "taken@example.org"})
    r_new = client.post_form("/auth/register", {**GOOD, "email": "new@example.org"})
    for r in (r_taken, r_new):
        assert r.status_code == 200
        page = r.get_data(as_text=True)
        assert "already" not in page
        assert "đã tồn tại" not in page
        assert "đã có" not in page
    # the owner of the taken address is told instead, with no link that acts on the account
    notice = messages(app, "taken@example.org")[-1].get_body().get_content()
    assert "/auth/link#" not in notice


def test_a_squatter_who_registers_an_experts_address_gets_nothing_of_the_invitation(
    app, client, make, session
):
    client.post_form(
        "/auth/register",
        {
            **GOOD,
            "email": "expert@example.net",
            "password": "squatter-password-1",
            "confirm": "squatter-password-1",
        },
    )
    manager = make.manager()
    client.login(manager.email)
    client.post_form(
        "/review-management/invitations", {"name": "GS. Chuyên Gia", "email": "expert@example.net"}
    )
    client.logout()
    # the real expert (who controls the mailbox) accepts and chooses a password
    assert _follow_link(client, last_secret(app, "expert@example.net")).status_code == 302
    r = client.post_form(
        "/invitation",
        {
            "name": "GS. Chuyên Gia",
            "institution": "ĐHQG",
            "password": "real-owners-passphrase",
            "confirm": "real-owners-passphrase",
            "confidentiality": "y",
        },
    )
    assert r.status_code == 302
    r = client.post_form(
        "/auth/login", {"email": "expert@example.net", "password": "squatter-password-1"}
    )
    assert client.get("/reviews").status_code == 302  # the squatter's password is gone
    client.login("expert@example.net", "real-owners-passphrase")
    assert client.get("/reviews").status_code == 200


# --- The invitation takeover -----------------------------------------------------------------


def test_an_invitation_to_an_existing_account_never_signs_anyone_in(app, client, make, session):
    admin = make.user("admin", email="admin@fund.example")
    client.login(make.manager().email)
    client.post_form(
        "/review-management/invitations", {"name": "Admin", "email": "admin@fund.example"}
    )
    client.logout()
    secret = last_secret(app, "admin@fund.example")

    attacker = app.test_client()
    from tests.conftest import PortalClient

    attacker = PortalClient(attacker)
    assert _follow_link(attacker, secret).status_code == 302
    attacker.use_language("en")
    page = attacker.get("/invitation")
    assert page.status_code == 200
    assert "Sign in" in page.get_data(as_text=True)
    r = attacker.post_form("/invitation", {"name": "x", "password": "", "confidentiality": "y"})
    assert attacker.get("/admin/users").status_code in (302, 403)
    session.expire_all()
    assert session.get(User, admin.id).roles == {"admin"}  # no reviewer role slipped in
    assert r.status_code in (200, 400)


def test_the_invited_owner_signs_in_and_then_joins_the_pool_explicitly(app, client, make, session):
    person = make.user("applicant", email="scientist@example.org")
    client.login(make.manager().email)
    client.post_form(
        "/review-management/invitations", {"name": "Nhà khoa học", "email": "scientist@example.org"}
    )
    client.logout()
    _follow_link(client, last_secret(app, "scientist@example.org"))
    client.login(person.email)
    r = client.post_form("/invitation", {})
    assert r.status_code == 200  # confidentiality statement not accepted
    session.expire_all()
    assert session.get(User, person.id).roles == {"applicant"}
    r = client.post_form("/invitation", {"confidentiality": "y"})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(User, person.id).roles == {"applicant", "reviewer"}
    assert "join_reviewer_pool" in _actions(session, person.id)


def test_an_invitation_cannot_be_accepted_by_another_signed_in_account(app, client, make, session):
    make.user("applicant", email="invited@example.org")
    other = make.user("applicant", email="other@example.org")
    client.login(make.manager().email)
    client.post_form(
        "/review-management/invitations", {"name": "Mời", "email": "invited@example.org"}
    )
    client.logout()
    _follow_link(client, last_secret(app, "invited@example.org"))
    client.login(other.email)
    r = client.post_form("/invitation", {"confidentiality": "y"})
    assert r.status_code == 200
    session.expire_all()
    assert session.get(User, other.id).roles == {"applicant"}


def test_invitation_secrets_are_stored_only_as_hashes(app, client, make, session):
    from reviews.invitations.models import Invitation

    client.login(make.manager().email)
    client.post_form("/review-management/invitations", {"name": "X", "email": "x@example.net"})
    secret = last_secret(app, "x@example.net")
    stored = session.exec(select(Invitation)).one()
    assert secret not in stored.token_hash
    assert len(stored.token_hash) == 64


# --- Throttling and lockout ------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused_until_unlocked(
    app, client, make, session
):
    user = make.user("applicant")
    statuses = [
        client.post_form(
            "/auth/login", {"email": user.email, "password": f"wrong-guess-{i:04d}"}
        ).status_code
        for i in range(30)
    ]
    assert 429 in statuses
    r = client.post_form("/auth/login", {"email": user.email, "password": PASSWORD})
    assert r.status_code == 429
    assert "Retry-After" in r.headers
    assert client.get("/proposals").status_code == 302
    actions = _actions(session, user.id)
    assert "sign_in_failed" in actions
    assert "sign_in_throttled" in actions


def _fail(client, email, n):
    for i in range(n):
        client.post_form("/auth/login", {"email": email, "password": f"wrong-guess-{i:04d}"})


def _age_throttle(session, key_prefix):
    """Move recorded failures into the past instead of sleeping."""
    for row in session.exec(
        select(SignInThrottle).where(SignInThrottle.key.startswith(key_prefix))
    ):
        row.last_failure_at = (
            row.last_failure_at - timedelta(minutes=2) if row.last_failure_at else None
        )
        session.add(row)
    session.commit()


def test_the_delay_grows_then_the_account_locks_and_its_owner_gets_an_unlock_link(
    app, client, make, session
):
    user = make.user("applicant")
    for _ in range(10):
        _fail(client, user.email, 1)
        _age_throttle(session, "account:")
    session.expire_all()
    row = session.get(SignInThrottle, "account:" + user.email)
    assert row.locked_until is not None
    assert row.locked_until > utcnow()
    assert (
        client.post_form("/auth/login", {"email": user.email, "password": PASSWORD}).status_code
        == 429
    )
    assert "sign_in_locked" in _actions(session, user.id)
    secret = last_secret(app, user.email)  # the unlock link
    assert _follow_link(client, secret).status_code == 302
    client.login(user.email)
    assert client.get("/proposals").status_code == 200


def test_a_lockout_is_temporary(client, make, session):
    user = make.user("applicant")
    row = SignInThrottle(
        key="account:" + user.email, failures=0, locked_until=utcnow() - timedelta(seconds=1)
    )
    session.add(row)
    session.commit()
    client.login(user.email)
    assert client.get("/proposals").status_code == 200


def test_one_client_address_guessing_many_accounts_is_throttled(client, make, session):
    people = [make.user("applicant") for _ in range(4)]
    for person in people:
        for i in range(8):
            client.post_form("/auth/login", {"email": person.email, "password": f"bad-{i:010d}"})
            _age_throttle(session, "account:")
    r = client.post_form(
        "/auth/login", {"email": make.user("applicant").email, "password": PASSWORD}
    )
    assert r.status_code == 429


# --- Sessions ---------------------------------------------------------------------------------


def _cookie(client):
    return client.get_cookie("session").value


def test_a_cookie_copied_before_logout_does_not_work_after_it(app, client, make):
    user = make.user("applicant")
    client.login(user.email)
    stolen = _cookie(client)
    client.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/proposals").status_code == 302


def test_logout_everywhere_ends_every_session(app, client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    other = app.test_client()
    from tests.conftest import PortalClient

    other = PortalClient(other)
    other.login(user.email)
    assert other.get("/proposals").status_code == 200
    client.post_form("/auth/logout-everywhere", {})
    assert other.get("/proposals").status_code == 302
    assert (
        session.exec(
            select(UserSession).where(
                UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
            )
        ).all()
        == []
    )


def test_sign_in_starts_a_new_session_id(client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    first = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    client.logout()
    client.login(user.email)
    rows = session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 2
    assert rows[1].token_hash != first.token_hash


@pytest.mark.parametrize("role, idle_minutes", [("manager", 31), ("applicant", 121)])
def test_an_idle_session_ends(client, make, session, role, idle_minutes):
    user = make.manager() if role == "manager" else make.user(role)
    client.login(user.email)
    page = "/manage" if role == "manager" else "/proposals"
    live = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    live.last_seen_at = utcnow() - timedelta(minutes=idle_minutes)
    session.add(live)
    session.commit()
    assert client.get(page).status_code == 302
    session.expire_all()
    assert session.get(UserSession, live.id).revoked_at is not None


def test_a_session_still_in_use_is_kept_but_not_beyond_the_absolute_limit(client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    live = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    live.last_seen_at = utcnow() - timedelta(minutes=100)
    session.add(live)
    session.commit()
    assert client.get("/proposals").status_code == 200
    live.created_at = utcnow() - timedelta(hours=13)
    session.add(live)
    session.commit()
    assert client.get("/proposals").status_code == 302


# --- Passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["qwerty123456", "123456789012", "aaaaaaaaaaaaaaaa", "nguyenvana-2026"]
)
def test_common_or_personal_passwords_are_refused(client, password):
    r = client.post_form(
        "/auth/register",
        {**GOOD, "email": "nguyenvana@example.org", "password": password, "confirm": password},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Kiểm tra hộp thư" not in page
    assert "Check your e-mail" not in page


def test_an_old_hash_is_replaced_by_argon2id_at_sign_in(client, make, session):
    from werkzeug.security import generate_password_hash

    user = make.user("applicant")
    user.password_hash = generate_password_hash(PASSWORD, "scrypt")
    session.add(user)
    session.commit()
    client.login(user.email)
    session.expire_all()
    stored = session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, PASSWORD)[0]


def _without_token(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', page)


def test_password_reset_by_email_link(app, client, make, session):
    user = make.user("applicant")
    r = client.post_form("/auth/forgot", {"email": user.email})
    r_unknown = client.post_form("/auth/forgot", {"email": "nobody@example.org"})
    # The two answers may differ only in the address and the form's CSRF token
    # (its signature carries the second it was made).
    assert _without_token(r.get_data(as_text=True).replace(user.email, "X")) == (
        _without_token(r_unknown.get_data(as_text=True).replace("nobody@example.org", "X"))
    )
    secret = last_secret(app, user.email)
    assert _follow_link(client, secret).status_code == 302
    r = client.post_form(
        "/auth/new-password",
        {"password": "a-brand-new-passphrase", "confirm": "a-brand-new-passphrase"},
    )
    assert r.status_code == 302
    client.login(user.email, "a-brand-new-passphrase")
    assert client.get("/proposals").status_code == 200
    assert _follow_link(client, secret).status_code == 400  # single use
    token = session.exec(
        select(AccountToken).where(
            AccountToken.user_id == user.id, AccountToken.purpose == "reset_password"
        )
    ).one()
    assert secret not in token.token_hash
    assert token.used_at is not None


def test_a_reset_link_expires(app, client, make, session):
    user = make.user("applicant")
    client.post_form("/auth/forgot", {"email": user.email})
    token = session.exec(select(AccountToken).where(AccountToken.user_id == user.id)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.add(token)
    session.commit()
    assert _follow_link(client, last_secret(app, user.email)).status_code == 400


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app, client, make):
    from tests.conftest import PortalClient

    user = make.user("applicant")
    other = PortalClient(app.test_client())
    other.login(user.email)
    client.login(user.email)
    r = client.post_form(
        "/account/password",
        {
            "pw-current": "not-the-password",
            "pw-password": "another-long-passphrase",
            "pw-confirm": "another-long-passphrase",
        },
    )
    assert r.status_code == 422
    r = client.post_form(
        "/account/password",
        {
            "pw-current": PASSWORD,
            "pw-password": "another-long-passphrase",
            "pw-confirm": "another-long-passphrase",
        },
    )
    assert r.status_code == 302
    assert client.get("/proposals").status_code == 200
    assert other.get("/proposals").status_code == 302


def test_changing_the_email_address_needs_the_new_address_to_confirm(app, client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    r = client.post_form("/account/email", {"em-email": "new@example.org", "em-password": PASSWORD})
    assert r.status_code == 302
    session.expire_all()
    assert session.get(User, user.id).email == user.email  # not yet
    _follow_link(client, last_secret(app, "new@example.org"))
    session.expire_all()
    assert session.get(User, user.id).email == "new@example.org"
    assert messages(app, user.email)  # the old address is told


# --- Administrators ---------------------------------------------------------------------------


def test_admin_creates_an_account_whose_owner_chooses_the_password(app, client, make, session):
    client.login(make.user("admin").email)
    r = client.post_form(
        "/admin/users/new",
        {
            "name": "Chuyên gia",
            "email": "ex@example.org",
            "institution": "ĐHQG",
            "roles": ["reviewer"],
        },
    )
    assert r.status_code == 302
    created = session.exec(select(User).where(User.email == "ex@example.org")).one()
    assert created.roles == {"reviewer"}
    client.logout()
    _follow_link(client, last_secret(app, "ex@example.org"))
    client.post_form(
        "/auth/new-password",
        {"password": "own-chosen-passphrase", "confirm": "own-chosen-passphrase"},
    )
    client.login("ex@example.org", "own-chosen-passphrase")
    assert client.get("/reviews").status_code == 200


def test_deactivation_and_role_removal_take_effect_at_once(app, client, make, session):
    from tests.conftest import PortalClient

    manager = make.user("manager", "reviewer")
    victim = PortalClient(app.test_client())
    victim.login(manager.email)
    assert victim.get("/reviews").status_code == 200
    client.login(make.user("admin").email)
    r = client.post_form(f"/admin/users/{manager.id}", {"roles": ["manager"]})
    assert r.status_code == 302
    assert victim.get("/reviews").status_code == 403
    client.post_form(f"/admin/users/{manager.id}/active", {"active": "0"})
    assert victim.get("/manage").status_code == 302
    assert {"set_roles", "deactivate"} <= set(_actions(session, manager.id))


def test_the_last_administrator_cannot_be_deactivated(client, make, session):
    admin = make.user("admin")
    client.login(admin.email)
    client.post_form(f"/admin/users/{admin.id}/active", {"active": "0"})
    session.expire_all()
    assert session.get(User, admin.id).is_active


def test_refused_access_is_in_the_audit_log(client, make, session):
    applicant = make.user("applicant")
    client.login(applicant.email)
    assert client.get("/admin/users").status_code == 403
    entry = session.exec(select(AuditEntry).where(AuditEntry.object_type == "access")).one()
    assert entry.action == "refused"
    assert entry.actor_id == applicant.id
    assert entry.detail == "GET /admin/users"


def test_sign_in_and_sign_out_are_in_the_audit_log(client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    client.logout()
    assert {"sign_in", "sign_out"} <= set(_actions(session, user.id))


def test_an_administrator_can_invite_an_expert(app, client, make):
    client.login(make.user("admin").email)
    r = client.post_form("/review-management/invitations", {"name": "X", "email": "x@example.net"})
    assert r.status_code == 302
    assert last_secret(app, "x@example.net")


def test_a_database_error_gives_the_500_page_even_for_a_signed_in_user(app, client, make):
    from sqlalchemy import text

    from portal import db

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule(
        "/test-broken-query",
        view_func=lambda: str(db.session().execute(text("SELECT nope FROM nowhere"))),
    )
    client.login(make.user("applicant").email)
    r = client.get("/test-broken-query")
    assert r.status_code == 500
    assert "Đã xảy ra lỗi" in r.get_data(as_text=True)  # the account's language: Vietnamese
