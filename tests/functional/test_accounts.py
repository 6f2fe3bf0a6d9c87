"""Registration, sign-in, languages and configuration."""

import pytest
from sqlmodel import select

from funds.accounts.models import User
from portal import create_app
from portal.config import ConfigError

GOOD = {
    "name": "Nguyễn Văn A",
    "email": "a@example.org",
    "institution": "Viện Vật lý",
    "orcid": "",
    "password": "mười-hai-ký-tự",
    "confirm": "mười-hai-ký-tự",
}


def test_register_page_does_not_pre_tick_consent(client):
    page = client.get("/auth/register").get_data(as_text=True)
    consent = page[page.index('id="consent"') - 80 : page.index('id="consent"') + 80]
    assert "checked" not in consent


def test_registration_without_consent_is_refused_and_keeps_what_was_typed(client, session):
    r = client.post_form("/auth/register", GOOD)
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Nguyễn Văn A" in page
    assert "Viện Vật lý" in page
    assert session.exec(select(User).where(User.email == "a@example.org")).first() is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"password": "short", "confirm": "short"}, "từ 12 đến 128 ký tự."),
        ({"confirm": "something-else-entirely"}, "không khớp"),
        ({"email": "not-an-email"}, "Địa chỉ e-mail không hợp lệ."),
        ({"orcid": "1234"}, "0000-0002-1825-0097"),
    ],
)
def test_registration_refuses_bad_input_with_a_reason(client, change, message):
    r = client.post_form("/auth/register", {**GOOD, "consent": "y", **change})
    assert r.status_code == 200
    assert message.lower() in r.get_data(as_text=True).lower()


def test_wrong_password_does_not_sign_in(client, make):
    user = make.user("applicant")
    r = client.post_form("/auth/login", {"email": user.email, "password": "wrong-password-123"})
    assert r.status_code == 200
    assert client.get("/proposals").status_code == 302


def test_language_choice_is_remembered_on_the_account(app, client, make, session):
    user = make.user("applicant")
    client.login(user.email)
    client.post_form("/language", {"lang": "en", "next": "/proposals"})
    session.expire_all()
    assert session.get(User, user.id).locale == "en"
    assert 'lang="en"' in client.get("/proposals").get_data(as_text=True)
    client.post_form("/language", {"lang": "vi"})
    assert 'lang="vi"' in client.get("/proposals").get_data(as_text=True)


def test_language_switch_refuses_to_redirect_off_site(client):
    r = client.post_form("/language", {"lang": "en", "next": "//evil.example/x"})
    assert r.location == "/"


def test_production_without_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.delenv("RDFUND_SECRET_KEY", raising=False)
    monkeypatch.delenv("RDFUND_DEV", raising=False)
    with pytest.raises(ConfigError):
        create_app({"DATABASE_URL": "sqlite://"})


def test_seed_demo_is_refused_outside_development_mode(app, database_url):
    prod = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 32})
    result = prod.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "development mode" in result.output
    prod.extensions["rdfund.engine"].dispose()


def test_seed_demo_creates_the_documented_accounts_once(runner, session):
    assert "Demo data ready." in runner.invoke(args=["seed-demo"]).output
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    emails = set(session.exec(select(User.email)).all())
    assert {
        "admin@example.org",
        "manager@example.org",
        "reviewer1@example.org",
        "reviewer2@example.org",
        "applicant@example.org",
        "applicant2@example.org",
    } <= emails


def test_audit_log_cannot_be_rewritten_in_the_database(session, make):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    make.user("applicant")
    with pytest.raises(DatabaseError):
        session.exec(text("UPDATE audit_entry SET action = 'forged'"))
    session.rollback()
    with pytest.raises(DatabaseError):
        session.exec(text("DELETE FROM audit_entry"))
    session.rollback()


@pytest.mark.parametrize(
    "lang, message", [("vi", "Trường này là bắt buộc."), ("en", "This field is required.")]
)
def test_form_library_messages_follow_the_language(client, lang, message):
    client.post_form("/language", {"lang": lang})
    r = client.post_form("/auth/register", {"name": "", "email": ""})
    assert message in r.get_data(as_text=True)
