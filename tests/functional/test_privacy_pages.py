"""Personal-data pages through the test client: notice, export, correction, consent, deletion."""

import io
import json

import pytest
from pypdf import PdfReader
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.proposals.models import Proposal


def set_language(client, lang: str) -> None:
    client.post_form("/language", {"lang": lang, "next": "/"})


@pytest.mark.parametrize(
    "lang, heading, retention",
    [
        ("vi", "Thông báo về quyền riêng tư", "Hợp đồng, dự toán, thanh toán"),
        ("en", "Privacy notice", "Contracts, budgets, payments"),
    ],
)
def test_the_privacy_notice_is_public_in_both_languages(client, lang, heading, retention):
    set_language(client, lang)
    r = client.get("/privacy")
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert heading in page
    assert retention in page
    assert "91/2025/QH15" in page
    assert 'id="retention-contract"' in page
    assert "10" in page[page.index('id="retention-submitted"') :][:600]


def test_registration_links_to_the_privacy_notice(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'href="/privacy"' in page
    assert 'id="privacy-notice-link"' in page


def test_my_personal_data_page_needs_a_sign_in(client):
    assert client.get("/privacy/me").status_code == 302


@pytest.fixture
def two(make, session):
    an = make.user("applicant", name="Nguyễn Thị An", email="an@example.org")
    binh = make.user("applicant", name="Trần Văn Bình", email="binh@example.org")
    call = make.call()
    make.proposal(pi=an, call=call, title="Chip của An")
    make.proposal(pi=binh, call=call, title="Cảm biến của Bình", submit=True)
    return an, binh


def test_the_json_download_holds_my_data_only_and_is_audited(client, session, two):
    an, _ = two
    client.login(an.email)
    r = client.post_form("/privacy/me/export.json", {})
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    assert data["sections"]["account"]["name"] == "Nguyễn Thị An"
    assert "Bình" not in r.get_data(as_text=True)
    assert session.exec(
        select(AuditEntry).where(
            AuditEntry.action == "export_personal_data", AuditEntry.actor_id == an.id
        )
    ).one()


def test_the_pdf_download_reads_back_with_my_data_and_not_the_others(client, two):
    an, _ = two
    client.login(an.email)
    r = client.post_form("/privacy/me/export.pdf", {})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    flat = " ".join(text.split())
    assert "an@example.org" in flat
    assert "Chip của An" in flat
    assert "binh@example.org" not in flat
    assert "Bình" not in flat


def test_a_download_without_the_form_token_is_refused(client, two):
    client.login(two[0].email)
    assert client.post("/privacy/me/export.json").status_code == 400


def test_correcting_name_and_institution_through_the_page(client, session, two):
    an, _ = two
    client.login(an.email)
    r = client.post_form(
        "/privacy/me/correct", {"name": "Nguyễn Thị Ân", "institution": "Viện Hoá học"}
    )
    assert r.status_code == 302
    session.expire_all()
    assert (session.get(User, an.id).name, session.get(User, an.id).institution) == (
        "Nguyễn Thị Ân",
        "Viện Hoá học",
    )
    page = client.get("/privacy/me/correct").get_data(as_text=True)
    assert "/account/#email" in page  # the account page's e-mail form (the URL takes only POST)
    assert "/profile" in page


def test_withdrawing_consent_explains_first_then_blocks_new_proposals(client, make, two):
    an, _ = two
    call = make.call(title="Đợt mới")
    client.login(an.email)
    set_language(client, "en")
    page = client.get("/privacy/me/consent/withdraw").get_data(as_text=True)
    assert "can no longer start or submit proposals" in page
    assert "contract" in page
    client.post_form("/privacy/me/consent/give", {})
    assert client.post_form("/privacy/me/consent/withdraw", {}).status_code == 302
    r = client.post_form(
        f"/calls/{call.id}/proposals/new",
        {
            "title": "Đề xuất mới",
            "abstract": "Tóm tắt",
            "area_code": "",
            "requested_vnd": "1.000.000",
        },
    )
    assert "withdrawn your consent" in r.get_data(as_text=True)


def test_deletion_shows_what_is_kept_and_why_before_and_after(client, session, make):
    person = make.user("applicant", name="Lê Sẽ Xoá", email="se.xoa@example.org")
    submitted = make.proposal(pi=person, title="Đề xuất đã nộp", submit=True)
    make.proposal(pi=person, title="Nháp sẽ mất")
    client.login(person.email)
    set_language(client, "en")
    before = client.get("/privacy/me/delete").get_data(as_text=True)
    kept = before[before.index('id="kept-records"') :]
    assert "Đề xuất đã nộp" in kept
    assert "record of a selection" in kept
    assert (
        "Nháp sẽ mất"
        in before[before.index('id="deleted-records"') : before.index('id="kept-records"')]
    )
    r = client.post_form(
        "/privacy/me/delete", {"password": "correct-horse-battery", "confirm": "se.xoa@example.org"}
    )
    after = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Đề xuất đã nộp" in after
    assert "record of a selection" in after
    session.expire_all()
    assert session.get(Proposal, submitted.id) is not None
    assert not session.get(User, person.id).is_active
    assert client.get("/privacy/me").status_code == 302  # signed out


def test_deletion_with_a_wrong_confirmation_deletes_nothing(client, session, two):
    an, _ = two
    client.login(an.email)
    r = client.post_form(
        "/privacy/me/delete",
        {"password": "correct-horse-battery", "confirm": "someone@example.org"},
    )
    assert r.status_code == 200
    session.expire_all()
    assert session.get(User, an.id).is_active


def test_an_administrator_deletes_a_persons_data_for_a_letter(client, session, make, two):
    an, binh = two
    client.login(binh.email)
    assert client.get(f"/privacy/admin/people/{an.id}").status_code == 403
    client.logout()
    client.login(make.admin().email)
    found = client.post_form("/privacy/admin", {"email": "an@example.org"})
    assert found.headers["Location"].endswith(f"/privacy/admin/people/{an.id}")
    r = client.post_form(
        f"/privacy/admin/people/{an.id}", {"channel": "post", "confirm": "an@example.org"}
    )
    assert r.status_code == 200
    session.expire_all()
    assert session.get(User, an.id).email.endswith("@invalid.example")


def test_my_page_shows_the_consent_history_and_offers_to_consent_again(client, two):
    an, _ = two
    client.login(an.email)
    set_language(client, "en")
    client.post_form("/privacy/me/consent/give", {})
    client.post_form("/privacy/me/consent/withdraw", {})
    page = client.get("/privacy/me").get_data(as_text=True)
    history = page[page.index('id="consent-history"') :]
    assert history.count("<tr>") == 3
    assert "Withdrawn" in history
    assert "You have withdrawn your consent" in page
    assert "Give my consent" in page


@pytest.mark.parametrize(
    "endpoint", ["privacy.export_mine", "privacy.delete", "privacy.person", "privacy.export_for"]
)
def test_downloads_and_deletions_need_a_recent_sign_in(app, endpoint):
    assert getattr(app.view_functions[endpoint], "reauth_required", False) is True


def test_the_administrator_sees_when_a_persons_data_was_deleted(client, make, two):
    an, _ = two
    client.login(make.admin().email)
    client.post_form(
        f"/privacy/admin/people/{an.id}", {"channel": "email", "confirm": "an@example.org"}
    )
    page = client.get(f"/privacy/admin/people/{an.id}").get_data(as_text=True)
    assert 'id="erased"' in page
    assert 'id="erase-form"' not in page
    pdf = client.post_form(f"/privacy/admin/people/{an.id}/export.pdf", {})
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
