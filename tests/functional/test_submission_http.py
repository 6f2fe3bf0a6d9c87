"""Submission through HTTP: autosave, conflicts, bad input of every kind, files, receipts."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.calls.models import Call
from funds.clock import to_local
from funds.proposals.models import BudgetLine, Proposal, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


@pytest.fixture
def draft(make):
    pi = make.user("applicant", email="pi@example.org")
    return make.proposal(pi=pi, call=make.call(attachment_max_mb=1))


def _edit(client, p, **fields):
    data = {"title": p.title, "version_id": str(p.version_id)} | fields
    return client.post_form(f"/proposals/{p.id}/edit", data)


def test_autosave_saves_and_returns_the_new_version(client, draft, session):
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"abstract": "Bản nháp mới", "version_id": str(draft.version_id)},
    )
    assert r.status_code == 200
    assert r.json["version_id"] == draft.version_id + 1
    session.expire_all()
    saved = session.get(Proposal, draft.id)
    assert saved.abstract == "Bản nháp mới"
    assert saved.title == draft.title


def test_autosave_is_audited_with_who_and_refused_once_submitted(client, draft, session):
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"title": "  Tên mới  ", "version_id": str(draft.version_id)},
    )
    assert r.status_code == 200
    assert r.json["proposal_id"] == draft.id
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.object_id == draft.id, AuditEntry.action == "save")
    ).one()
    assert (entry.actor_id, entry.detail) == (draft.pi_id, "title")
    session.expire_all()
    assert session.get(Proposal, draft.id).title == "Tên mới"
    client.post_form(
        f"/proposals/{draft.id}/submit", {"confirm": "yes", "version_id": str(r.json["version_id"])}
    )
    session.expire_all()
    submitted = session.get(Proposal, draft.id)
    assert submitted.status == "submitted"
    late = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"abstract": "sau khi nộp", "version_id": str(submitted.version_id)},
    )
    assert late.status_code == 403
    session.expire_all()
    assert session.get(Proposal, draft.id).abstract == "Tóm tắt."


def test_a_stale_autosave_gets_a_conflict_showing_the_saved_version(client, draft):
    client.login("pi@example.org")
    v = str(draft.version_id)
    assert (
        client.post_form(
            f"/proposals/{draft.id}/autosave", {"abstract": "Máy A", "version_id": v}
        ).status_code
        == 200
    )
    r = client.post_form(f"/proposals/{draft.id}/autosave", {"abstract": "Máy B", "version_id": v})
    assert r.status_code == 409
    assert r.json["conflict"]["abstract"] == "Máy A"


def test_a_stale_full_save_shows_both_versions_and_keeps_the_typed_text(client, draft):
    client.login("pi@example.org")
    _edit(client, draft, abstract="Máy A")
    r = _edit(client, draft, abstract="Văn bản của máy B")
    page = r.get_data(as_text=True)
    assert r.status_code == 409
    assert 'id="conflict"' in page
    assert "Máy A" in page
    assert "Văn bản của máy B" in page


LONG = "ư" * 20001
UNICODE = "Tiếng Việt: Nghiên cứu ₫ — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 \u202e ﷽ \u0301 \u200b 中文 עברית"


@pytest.mark.parametrize(
    "fields, field_in_error",
    [
        ({"abstract": LONG}, "abstract"),
        ({"title": "t" * 301}, "title"),
        ({"trl_now": "0"}, "trl_now"),
        ({"trl_target": "10"}, "trl_target"),
        ({"trl_now": "ba"}, "trl_now"),
        ({"duration_months": "-3"}, "duration_months"),
        ({"duration_months": "99999999999999999999"}, "duration_months"),
        ({"budget-personnel-{Y}": "-5.000"}, "budget-personnel-{Y}"),
        ({"budget-personnel-{Y}": "1.500,5"}, "budget-personnel-{Y}"),
        ({"budget-personnel-{Y}": "99999999999999999999"}, "budget-personnel-{Y}"),
        ({"budget-personnel-{Y}": "１２３"}, "budget-personnel-{Y}"),
        ({"cp-0-source": "Công ty A", "cp-0-amount": "-1"}, "cp-0-amount"),
        ({"wp-0-owner": "PI", "wp-0-due": "0"}, "wp-0"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_every_typed_character(
    client, draft, session, fields, field_in_error
):
    client.login("pi@example.org")
    # the budget's first fiscal year is the year the call closes, Vietnam time (not a
    # constant: the call closes 30 days from now)
    year = str(to_local(session.get(Call, draft.call_id).closes_at).year)
    fields = {k.replace("{Y}", year): v for k, v in fields.items()}
    field_in_error = field_in_error.replace("{Y}", year)
    sent = {"abstract": UNICODE} | fields
    r = client.post_form(
        f"/proposals/{draft.id}/autosave", sent | {"version_id": str(draft.version_id)}
    )
    assert r.status_code == 422
    assert field_in_error in r.json["errors"], r.json
    page = _edit(client, draft, **sent)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'role="alert"' in text
    for value in sent.values():
        assert value.replace("&", "&amp;")[:50] in text or value[:50] in text.replace("&#39;", "'")
    session.expire_all()
    assert session.get(Proposal, draft.id).abstract == "Tóm tắt."


def test_every_kind_of_unicode_is_saved_exactly(client, draft, session):
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"abstract": UNICODE, "version_id": str(draft.version_id)},
    )
    assert r.status_code == 200
    session.expire_all()
    assert session.get(Proposal, draft.id).abstract == UNICODE


def test_budget_totals_are_computed_on_the_server(client, draft, session):
    client.login("pi@example.org")
    year = re.search(
        r'name="budget-personnel-(\d{4})"',
        client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True),
    ).group(1)
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {
            f"budget-personnel-{year}": "1.000.000.000",
            f"budget-indirect-{year}": "100.000.000",
            "version_id": str(draft.version_id),
        },
    )
    assert r.status_code == 200
    assert r.json["requested_vnd"] == 1_100_000_000
    lines = session.exec(select(BudgetLine).where(BudgetLine.proposal_id == draft.id)).all()
    assert sorted(line.amount_vnd for line in lines) == [100_000_000, 1_000_000_000]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.pdf", "Tệp rỗng"),
        (b"MZ\x90\x00 not a pdf", "virus.pdf", "chỉ nhận tệp PDF"),
        (b"%PDF-1.7 cut off", "broken.pdf", "bị hỏng"),
        (b"%PDF-" + b"0" * (1024 * 1024 + 1), "big.pdf", "lớn hơn 1 MB"),
    ],
)
def test_bad_files_are_refused_with_a_reason_in_vietnamese(
    client, draft, session, data, name, message
):
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/attachments",
        {"kind": "description", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert r.status_code == 200
    assert message in r.get_data(as_text=True)


def test_a_pdf_is_stored_by_hash_and_served_only_to_those_allowed(client, draft, make, app):
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/attachments",
        {"kind": "description", "file": (io.BytesIO(PDF), "đề cương.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    aid = int(re.search(r'/attachments/(\d+)"', r.get_data(as_text=True)).group(1))
    download = client.get(f"/attachments/{aid}")
    assert download.data == PDF
    download.close()
    client.logout()
    make.user("applicant", email="other@example.org")
    client.login("other@example.org")
    assert client.get(f"/attachments/{aid}").status_code == 404
    assert client.post_form(f"/attachments/{aid}/delete", {}).status_code == 404


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/proposals/{id}/edit"),
        ("post", "/proposals/{id}/autosave"),
        ("post", "/proposals/{id}/submit"),
        ("post", "/proposals/{id}/attachments"),
        ("post", "/proposals/{id}/team"),
        ("get", "/proposals/{id}"),
        ("post", "/proposals/{id}/reopen"),
        ("post", "/proposals/{id}/copy"),
    ],
)
def test_another_users_proposal_is_not_found(client, draft, make, method, url):
    make.user("applicant", email="other@example.org")
    client.login("other@example.org")
    target = url.format(id=draft.id)
    r = client.get(target) if method == "get" else client.post_form(target, {"version_id": "1"})
    assert r.status_code == 404


def test_a_post_without_csrf_token_is_refused_and_saves_nothing(client, draft, session):
    client.login("pi@example.org")
    r = client.post(f"/proposals/{draft.id}/autosave", data={"abstract": "x", "version_id": "1"})
    assert r.status_code == 400
    session.expire_all()
    assert session.get(Proposal, draft.id).abstract == "Tóm tắt."


def test_a_changed_call_id_on_a_closed_call_is_refused(client, make):
    make.user("applicant", email="pi2@example.org")
    closed = make.call(opens_in=timedelta(days=-5), closes_in=timedelta(days=-1))
    client.login("pi2@example.org")
    client.use_language("en")
    r = client.post_form(
        f"/calls/{closed.id}/proposals/new", {"title": "X", "area_code": ""}, follow_redirects=True
    )
    assert "not open" in r.get_data(as_text=True)
    assert client.post_form("/calls/999999/proposals/new", {"title": "X"}).status_code == 404


@pytest.mark.parametrize("closes_at", ["1999-12-31T17:00", "2101-01-01T00:00", "31/12/2026"])
def test_call_dates_out_of_range_are_refused_with_a_message(client, make, closes_at):
    manager = make.manager()
    fund = make.fund()
    client.login(manager.email)
    r = client.post_form(
        f"/funds/{fund.id}/calls/new",
        {
            "title": "Đợt",
            "opens_at": "2026-01-01T08:00",
            "closes_at": closes_at,
            "ceiling_vnd": "1.000",
            "budget_vnd": "2.000",
        },
    )
    assert r.status_code == 200
    assert 'role="alert"' in r.get_data(as_text=True)


def test_submit_twice_gives_one_receipt_and_the_pdf(client, draft, session):
    client.login("pi@example.org")
    first = client.post_form(
        f"/proposals/{draft.id}/submit", {"confirm": "yes", "version_id": str(draft.version_id)}
    )
    again = client.post_form(
        f"/proposals/{draft.id}/submit", {"confirm": "yes", "version_id": str(draft.version_id)}
    )
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    assert len(session.exec(select(Submission)).all()) == 1
    page = client.get(first.location).get_data(as_text=True)
    assert "RDF-" in page
    pdf = client.get(first.location + ".pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")


def test_submission_with_failing_checks_says_what_to_fix(client, make):
    pi = make.user("applicant", email="pi3@example.org")
    p = make.proposal(pi=pi, bare=True)
    client.login("pi3@example.org")
    client.use_language("en")
    page = client.post_form(f"/proposals/{p.id}/submit", {"confirm": "yes"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert 'id="checklist"' in text
    assert "work package" in text.lower()


def test_co_investigator_confirms_by_link(client, draft, make, session):
    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{draft.id}/team",
        {
            "name": "Trần Thị B",
            "email": "coi@example.org",
            "institution": "Viện X",
            "role": "Thành viên",
            "effort_pct": "30",
        },
    )
    page = client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    link = re.search(r"/team/confirm/([\w-]+)", page).group(0)
    client.logout()
    make.user("applicant", email="coi@example.org")
    client.login("coi@example.org")
    r = client.post_form(link, {})
    assert 'id="confirmed"' in r.get_data(as_text=True)


def test_manager_filters_and_exports_the_submissions(client, make):
    call = make.call()
    make.proposal(call=call, title="Vi mạch lượng tử", submit=True)
    make.proposal(call=call, title="Pin natri", submit=True)
    client.login(make.manager().email)
    page = client.get(f"/calls/{call.id}/submissions?q=lượng").get_data(as_text=True)
    assert "Vi mạch lượng tử" in page
    assert "Pin natri" not in page
    csv = client.get(f"/calls/{call.id}/budgets.csv").get_data(as_text=True)
    assert "amount_vnd" in csv
    assert "1000000000" in csv
    xlsx = client.get(f"/calls/{call.id}/submissions.xlsx")
    assert xlsx.data[:2] == b"PK"

    job = client.post_form(f"/calls/{call.id}/submissions.zip", {})  # a job (docs/jobs.md)
    assert job.status_code == 302
    assert client.get(f"/calls/{call.id}/submissions.zip").status_code == 405  # never a GET
    download = client.get(job.headers["Location"] + "/file")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    download.close()
    assert len(archive.namelist()) == 2


def test_applicants_cannot_reach_the_managers_exports(client, draft):
    client.login("pi@example.org")
    assert client.get(f"/calls/{draft.call_id}/submissions.xlsx").status_code == 403


def test_a_copy_into_a_tampered_call_id_is_refused(client, draft, make):
    closed = make.call(opens_in=timedelta(days=-5), closes_in=timedelta(days=-1))
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{draft.id}/copy", {"call_id": str(closed.id)}, follow_redirects=True
    )
    assert r.status_code == 200
    assert len(client.get("/proposals").get_data(as_text=True).split("/copy")) == 2  # no new draft


def test_withdrawal_after_the_deadline_is_refused(client, draft, session):
    from funds.calls.models import Call

    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{draft.id}/submit", {"confirm": "yes", "version_id": str(draft.version_id)}
    )
    call = session.get(Call, draft.call_id)
    call.closes_at = call.opens_at + timedelta(seconds=1)
    session.add(call)
    session.commit()
    client.post_form(f"/proposals/{draft.id}/withdraw", {"confirm": "yes"})
    client.post_form(f"/proposals/{draft.id}/reopen", {})
    session.expire_all()
    assert session.get(Proposal, draft.id).status == "submitted"


def test_the_checklist_reads_in_positive_words_with_money_and_file_names(client, make):
    """A met check says what holds; money is formatted; missing files are named by label."""
    pi = make.user("applicant", email="pi4@example.org")
    call = make.call(required_attachments="cv", max_proposals_per_pi=0)
    p = make.proposal(pi=pi, call=call)
    client.login("pi4@example.org")
    client.use_language("vi")
    text = client.get(f"/proposals/{p.id}").get_data(as_text=True)
    assert "Cuộc gọi không mở" not in text
    assert "Đợt kêu gọi không mở" not in text
    assert "Kinh phí 1.000.000.000" in text  # the budget in the checklist, formatted
    assert "tối đa 0" not in text
    assert "Đính kèm các tệp bắt buộc: ." not in text
    assert "Đính kèm các tệp bắt buộc: Lý lịch khoa học của nhóm." in text  # named by label
    assert "Không giới hạn số hồ sơ" in text  # 0 means no limit


def test_a_double_click_queues_the_receipt_work_once(app, draft, session):
    """Both halves of a double click loaded the proposal while it was a draft; only the one
    that made the submission (decided under the row lock) queues its PDF and e-mail."""
    from flask_login import login_user
    from sqlmodel import Session

    from funds.accounts.models import User
    from funds.outbox.models import OutboxMessage
    from portal import db
    from portal.proposals.submitting import submit_once

    pi = session.exec(select(User).where(User.email == "pi@example.org")).one()
    with Session(app.extensions["rdfund.engine"], expire_on_commit=False) as other:
        loaded = [other.get(Proposal, draft.id)]  # as both clicks read it: a draft
        other.expunge_all()
    assert loaded[0].status == "draft"
    receipts = []
    for _click in range(2):
        with app.test_request_context(f"/proposals/{draft.id}/submit", method="POST"):
            login_user(db.session().get(User, pi.id))
            receipts.append(submit_once(loaded[0], str(draft.version_id)).receipt_no)
    assert receipts[0] == receipts[1]
    rows = session.exec(select(OutboxMessage).where(OutboxMessage.task == "after_submission"))
    assert len(rows.all()) == 1
