"""The applicant's editor loses nothing: a new proposal autosaves from its first character,
rows are added and removed, a failed save is summarised at the top and marked at its cells,
and nothing irreversible happens without a confirmation."""

import io
import re

import pytest
from sqlmodel import select

from funds.calls.models import Call
from funds.clock import to_local
from funds.profiles.models import CoInvestigator
from funds.proposals.models import Attachment, Proposal, Submission, WorkPackage
from portal.proposals.sections import MAX_ROWS

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


@pytest.fixture
def draft(make):
    pi = make.user("applicant", email="pi@example.org")
    return make.proposal(pi=pi, call=make.call())


def _year(session, proposal) -> str:
    return str(to_local(session.get(Call, proposal.call_id).closes_at).year)


def _tasks(session, proposal_id) -> list[str]:
    session.expire_all()
    rows = session.exec(
        select(WorkPackage).where(WorkPackage.proposal_id == proposal_id).order_by(WorkPackage.id)
    ).all()
    return [w.task for w in rows]


def test_the_first_character_on_a_new_proposal_creates_the_draft(client, make, session):
    pi = make.user("applicant", email="new@example.org")
    call = make.call()
    client.login(pi.email)
    page = client.get(f"/calls/{call.id}/proposals/new").get_data(as_text=True)
    create = re.search(r'data-create="([^"]+)"', page).group(1)
    assert create == f"/calls/{call.id}/proposals/draft"
    # the applicant starts with the abstract: the title may still be empty
    r = client.post_form(create, {"abstract": "N", "title": "", "version_id": ""})
    assert r.status_code == 201, r.json
    pid = r.json["proposal_id"]
    assert r.json["edit_url"] == f"/proposals/{pid}/edit"
    assert r.json["autosave_url"] == f"/proposals/{pid}/autosave"
    saved = session.get(Proposal, pid)
    assert (saved.abstract, saved.title, saved.pi_id, saved.call_id) == ("N", "", pi.id, call.id)
    # and the page continues on the draft's autosave, from the version just created
    again = client.post_form(
        r.json["autosave_url"],
        {"abstract": "Nghiên cứu", "title": "Cảm biến", "version_id": str(r.json["version_id"])},
    )
    assert again.status_code == 200, again.json
    session.expire_all()
    assert session.get(Proposal, pid).title == "Cảm biến"
    assert len(session.exec(select(Proposal).where(Proposal.pi_id == pi.id)).all()) == 1


def test_a_new_proposal_refuses_bad_input_with_the_field_and_creates_nothing(client, make, session):
    pi = make.user("applicant", email="new2@example.org")
    call = make.call()
    client.login(pi.email)
    r = client.post_form(f"/calls/{call.id}/proposals/draft", {"trl_now": "12", "title": "A"})
    assert r.status_code == 422
    assert "trl_now" in r.json["errors"]
    assert r.json["summary"][0]["id"] == "trl_now"
    assert session.exec(select(Proposal).where(Proposal.pi_id == pi.id)).all() == []


def test_every_table_cell_of_the_new_proposal_page_is_labelled(client, make):
    pi = make.user("applicant", email="label@example.org")
    call = make.call()
    client.login(pi.email)
    page = client.get(f"/calls/{call.id}/proposals/new").get_data(as_text=True)
    cells = re.findall(r"<(?:input|select) name=\"(?:wp|budget|cp)-[^>]*>", page)
    assert len(cells) > 30
    unlabelled = [c for c in cells if "aria-label=" not in c]
    assert unlabelled == []
    assert ", dòng 2" in page  # by column and row, in Vietnamese


def test_added_rows_are_saved_in_order_and_removed_rows_are_gone(client, draft, session):
    client.login("pi@example.org")
    rows = {}
    for n, i in enumerate((0, 3, 7, 12)):  # rows added in the browser: any numbers
        rows |= {
            f"wp-{i}-owner": "PI",
            f"wp-{i}-task": f"Việc {n + 1}",
            f"wp-{i}-due": str(n + 1),
            f"wp-{i}-deliverable": "Báo cáo",
        }
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        rows | {"wp-rows": "sent", "version_id": str(draft.version_id)},
    )
    assert r.status_code == 200, r.json
    assert _tasks(session, draft.id) == ["Việc 1", "Việc 2", "Việc 3", "Việc 4"]
    edit = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    assert 'value="Việc 4"' in edit
    assert 'name="wp-4-owner"' in edit
    # every row removed: the table is sent with only its marker and one emptied row
    r = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"wp-rows": "sent", "wp-0-owner": "", "version_id": str(r.json["version_id"])},
    )
    assert r.status_code == 200, r.json
    assert _tasks(session, draft.id) == []


def test_more_rows_than_the_limit_are_refused_and_kept(client, draft, session):
    client.login("pi@example.org")
    before = _tasks(session, draft.id)
    rows = {}
    for i in range(MAX_ROWS + 1):
        rows |= {
            f"wp-{i}-owner": "PI",
            f"wp-{i}-task": f"T{i}",
            f"wp-{i}-due": "1",
            f"wp-{i}-deliverable": "D",
        }
    r = client.post_form(
        f"/proposals/{draft.id}/autosave", rows | {"version_id": str(draft.version_id)}
    )
    assert r.status_code == 422
    assert "work_packages" in r.json["errors"]
    assert _tasks(session, draft.id) == before


def test_a_failed_save_is_summarised_at_the_top_with_links_and_marked_cells(client, draft, session):
    client.login("pi@example.org")
    client.use_language("en")
    year = _year(session, draft)
    sent = {
        "title": draft.title,
        "trl_now": "0",
        "wp-0-owner": "PI",  # half a row
        f"budget-personnel-{year}": "1.500,5",
        "version_id": str(draft.version_id),
    }
    r = client.post_form(f"/proposals/{draft.id}/edit", sent)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary
    assert 'role="alert"' in summary.group(0)
    assert "hidden" not in summary.group(0)
    assert page.index('id="error-summary"') < page.index('id="proposal-form"')  # at the top
    links = re.findall(r'href="#([^"]+)"', summary.group(1))
    assert links == ["trl_now", "wp-0-owner", f"budget-personnel-{year}"]
    for cell in ("wp-0-owner", "wp-0-task", "wp-0-due", "wp-0-deliverable"):
        tag = re.search(rf'<input name="{cell}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        assert 'aria-describedby="wp-0-error"' in tag
    assert 'id="wp-0-error"' in page
    budget = re.search(rf'<input name="budget-personnel-{year}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in budget
    assert 'value="1.500,5"' in budget
    # the autosave says the same, for the script to mark the cells
    r = client.post_form(f"/proposals/{draft.id}/autosave", sent)
    assert r.status_code == 422
    assert {"wp-0", f"budget-personnel-{year}", "trl_now"} <= set(r.json["errors"])
    assert [e["id"] for e in r.json["summary"]] == links


def test_the_form_shows_which_sections_are_complete(client, draft):
    client.login("pi@example.org")
    client.use_language("en")
    page = client.get(f"/proposals/{draft.id}/edit").get_data(as_text=True)
    nav = re.search(r'<nav class="section-nav".*?</nav>', page, re.S).group(0)
    assert 'class="section-complete" data-anchor="workplan"' in nav
    assert 'class="section-complete" data-anchor="budget"' in nav
    assert f'href="/proposals/{draft.id}#attachments"' in nav


def test_submit_without_confirming_does_nothing_and_with_it_submits(client, draft, session):
    client.login("pi@example.org")
    client.use_language("en")
    url = f"/proposals/{draft.id}/submit"
    r = client.post_form(url, {"version_id": str(draft.version_id)})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert 'id="confirm-form"' in page
    assert f'action="{url}"' in page
    assert f'name="version_id" value="{draft.version_id}"' in page
    assert session.exec(select(Submission)).all() == []
    session.expire_all()
    assert session.get(Proposal, draft.id).status == "draft"
    r = client.post_form(url, {"version_id": str(draft.version_id), "confirm": "yes"})
    assert r.status_code == 302
    assert "/submissions/" in r.location
    assert len(session.exec(select(Submission)).all()) == 1


def test_withdraw_asks_first(client, draft, session):
    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{draft.id}/submit", {"version_id": str(draft.version_id), "confirm": "yes"}
    )
    r = client.post_form(f"/proposals/{draft.id}/withdraw", {})
    assert r.status_code == 200
    assert 'id="confirm-form"' in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Proposal, draft.id).status == "submitted"
    assert (
        client.post_form(f"/proposals/{draft.id}/withdraw", {"confirm": "yes"}).status_code == 302
    )
    session.expire_all()
    assert session.get(Proposal, draft.id).status == "withdrawn"


def test_removing_a_file_or_a_team_member_asks_first(client, draft, session):
    client.login("pi@example.org")
    client.post_form(
        f"/proposals/{draft.id}/attachments",
        {"kind": "description", "file": (io.BytesIO(PDF), "mo-ta.pdf")},
        content_type="multipart/form-data",
    )
    client.post_form(
        f"/proposals/{draft.id}/team",
        {"name": "Trần Văn B", "email": "b@example.org", "effort_pct": "20"},
    )
    aid = session.exec(select(Attachment.id).where(Attachment.proposal_id == draft.id)).one()
    mid = session.exec(
        select(CoInvestigator.id).where(CoInvestigator.proposal_id == draft.id)
    ).one()
    for url in (f"/attachments/{aid}/delete", f"/team/{mid}/delete"):
        r = client.post_form(url, {})
        assert r.status_code == 200
        assert 'id="confirm-form"' in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Attachment, aid) is not None
    assert session.get(CoInvestigator, mid)
    for url in (f"/attachments/{aid}/delete", f"/team/{mid}/delete"):
        assert client.post_form(url, {"confirm": "yes"}).status_code == 302
    session.expire_all()
    assert session.get(CoInvestigator, mid) is None
