"""Reviewers read the whole submitted proposal beside an anchored rubric; their scores stay
visible to them, on the consensus page and (anonymised) in the decision letter."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from sqlmodel import select

from funds.clock import to_local
from funds.proposals import services as proposal_svc
from funds.proposals.queries import decision_for
from funds.proposals.team import add_member
from funds.submission import services as submission_svc
from funds.submission.files import add_attachment
from portal.reviews.dossier import PREVIEW_POLICY
from reviews.pool.services import accept_confidentiality, save_profile
from reviews.rubric.models import Criterion, CriterionAnchor, Rubric


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()


@pytest.fixture
def call(client, make):
    """A call with the default rubric, created by its manager."""
    call = make.call(budget_vnd=5_000_000_000)
    client.login(make.manager().email)
    assert client.post_form(f"/review-management/calls/{call.id}/rubric", {}).status_code == 302
    client.logout()
    return call


def _proposal(app, make, session, call):
    """A submitted proposal with a co-investigator, two tasks, a budget over two years,
    outputs, a TRL and a PDF file."""
    pi = make.user("applicant", name="Trần Thị Ứng Viên", institution="Đại học Bách khoa")
    year = to_local(call.closes_at).year
    prop = make.proposal(
        pi=pi,
        call=call,
        title="Vi mạch cảm biến",
        trl_now=3,
        trl_target=6,
        publications_planned=4,
        patents_planned=1,
        prototypes_planned="Mẫu chip cảm biến",
        work_packages=[
            {"owner": "Lê Văn Đồng", "task": "Thiết kế mạch", "due_month": 6, "deliverable": "Vẽ"},
            {"owner": "PI", "task": "Chế tạo mẫu thử", "due_month": 18, "deliverable": "Mẫu"},
        ],
        budget_lines=[
            ("personnel", year, 600_000_000),
            ("equipment", year + 1, 400_000_000),
        ],
    )
    add_member(
        session,
        actor=pi,
        proposal_id=prop.id,
        name="Lê Văn Đồng",
        email="dong@example.org",
        institution="Viện Vật lý",
        role="Thành viên chính",
        effort_pct=40,
    )
    add_attachment(
        session,
        actor=pi,
        proposal_id=prop.id,
        kind="description",
        filename="thuyết minh.pdf",
        data=PDF,
        directory=Path(app.config["INSTANCE_DATA"]) / "files",
    )
    session.commit()
    submission_svc.submit_proposal(session, actor=pi, proposal_id=prop.id)
    session.commit()
    return pi, prop


def _reviewer(make, session, name="Chuyên gia Một"):
    r = make.user("reviewer", name=name, institution="Viện Khác")
    save_profile(
        session, actor=r, keywords="chip", areas=[], languages="vi", max_load=4, available=True
    )
    accept_confidentiality(session, actor=r)
    session.commit()
    return r


def _open(client, reviewer, assignment):
    client.login(reviewer.email)
    client.post_form(f"/reviews/{assignment.id}/declaration", {"conflict": "no"})
    return client.get(f"/reviews/{assignment.id}").get_data(as_text=True)


def _score(client, session, assignment, value, action="submit"):
    data = {"comment": "Nhận xét chung", "action": action}
    for c in session.exec(select(Criterion)).all():
        data[f"score_{c.id}"] = str(value)
        data[f"comment_{c.id}"] = f"Về {c.name}: tiêu chí {c.id}"
    return client.post_form(f"/reviews/{assignment.id}", data)


def test_reviewer_reads_the_whole_submitted_version_not_a_later_draft(
    app, client, make, session, call
):
    pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    submission_svc.reopen(session, actor=pi, proposal_id=prop.id)  # a later draft edit
    session.commit()
    proposal_svc.update_draft(
        session,
        actor=pi,
        proposal_id=prop.id,
        expected_version=session.get(type(prop), prop.id).version_id,
        values={"title": "Tiêu đề bản nháp sau", "trl_target": 9},
    )
    session.commit()
    page = _open(client, reviewer, a)
    assert "Vi mạch cảm biến" in page
    assert "Tiêu đề bản nháp sau" not in page
    for section in ("dossier-team", "dossier-plan", "dossier-budget", "dossier-outputs"):
        assert f'id="{section}"' in page
    assert "Thành viên chính" in page
    assert "40" in page
    assert "Thiết kế mạch" in page
    assert "Chế tạo mẫu thử" in page
    year = to_local(call.closes_at).year
    grid = page.split('class="budget-grid"')[1].split("</table>")[0]
    assert f">{year}<" in grid
    assert f">{year + 1}<" in grid
    assert "600.000.000" in grid
    assert "400.000.000" in grid
    assert "1.000.000.000" in grid
    assert "Mẫu chip cảm biến" in page  # the outputs
    trl = re.search(r'id="dossier-trl">([^<]*)<', page).group(1)
    assert "3" in trl
    assert "6" in trl
    assert "9" not in trl
    assert "thuyết minh.pdf" in page
    assert 'class="pdf-preview"' in page


def test_blind_review_hides_the_applicant_the_team_and_the_host(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    page = _open(client, reviewer, a)
    assert 'id="blind-notice"' in page
    for identity in (
        "Trần Thị Ứng Viên",
        "Đại học Bách khoa",
        "Lê Văn Đồng",
        "dong@example.org",
        "Viện Vật lý",
    ):
        assert identity not in page, identity
    pdf = client.get(f"/reviews/{a.id}/proposal.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Trần Thị Ứng Viên" not in text
    assert "Lê Văn Đồng" not in text


def test_an_open_review_names_the_team(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    rubric = session.exec(select(Rubric).where(Rubric.call_id == call.id)).one()
    client.login(make.manager().email)
    client.post_form(
        f"/review-management/calls/{call.id}/rubric",
        {"total_threshold": "60", "per_proposal": "2", "show_others_after_submit": "y"},
    )
    client.logout()
    session.refresh(rubric)
    assert rubric.blind is False  # the box unticked: reviewers see who applied
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    page = _open(client, reviewer, a)
    assert "Trần Thị Ứng Viên" in page
    assert "Lê Văn Đồng" in page
    assert 'id="blind-notice"' not in page


def test_assembled_pdf_holds_the_proposal_and_its_files(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    client.login(reviewer.email)
    assert client.get(f"/reviews/{a.id}/proposal.pdf").status_code == 403  # not declared yet
    page = _open(client, reviewer, a)
    assert f'href="/reviews/{a.id}/proposal.pdf"' in page
    response = client.get(f"/reviews/{a.id}/proposal.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Vi mạch cảm biến" in text
    assert "Thiết kế mạch" in text
    assert "Mẫu chip cảm biến" in text
    assert reader.pages[-1].mediabox.width == 200  # the submitted PDF file, appended
    client.logout()
    other = _reviewer(make, session, "Chuyên gia Khác")
    client.login(other.email)
    assert client.get(f"/reviews/{a.id}/proposal.pdf").status_code == 404


def test_preview_is_framable_by_the_portal_only(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    page = _open(client, reviewer, a)
    src = re.search(r'<iframe src="([^"]+)"', page).group(1)
    response = client.get(src)
    assert response.data == PDF
    assert response.headers["Content-Security-Policy"] == PREVIEW_POLICY
    assert "frame-ancestors 'self'" in PREVIEW_POLICY
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    response.close()
    # the review page itself keeps the strict policy: it cannot be framed
    review = client.get(f"/reviews/{a.id}")
    assert "frame-ancestors 'none'" in review.headers["Content-Security-Policy"]
    assert review.headers["X-Frame-Options"] == "DENY"


def test_review_form_shows_what_each_level_means(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    page = _open(client, reviewer, a)
    merit = session.exec(select(Criterion).order_by(Criterion.position)).first()
    anchor = session.exec(
        select(CriterionAnchor).where(
            CriterionAnchor.criterion_id == merit.id, CriterionAnchor.level == 3
        )
    ).one()
    assert anchor.text.startswith("Đạt")  # the default rubric ships Vietnamese anchors
    # the description is the radio's own label
    radio = rf'<label class="choice"><input[^>]*name="score_{merit.id}"[^>]*value="3"[^>]*>'
    assert re.search(rf"{radio} 3 — {re.escape(anchor.text)}</label>", page)


def test_manager_edits_the_anchors_and_the_reviewer_sees_them(app, client, make, session, call):
    _pi, prop = _proposal(app, make, session, call)
    merit = session.exec(select(Criterion).order_by(Criterion.position)).first()
    client.login(make.manager().email)
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    assert f'id="anchors-{merit.id}"' in page
    r = client.post_form(
        f"/review-management/calls/{call.id}/criteria/{merit.id}/anchors",
        {
            "level_0": "",
            **{f"level_{n}": f"Mức {n}" for n in (1, 2, 4, 5)},
            "level_3": "Ba: đủ tốt để tài trợ",
        },
    )
    assert r.status_code == 302
    client.logout()
    session.expire_all()
    rows = {
        a.level: a.text
        for a in session.exec(
            select(CriterionAnchor).where(CriterionAnchor.criterion_id == merit.id)
        )
    }
    assert rows[3] == "Ba: đủ tốt để tài trợ"
    assert 0 not in rows
    assert 4 in rows
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    assert "3 — Ba: đủ tốt để tài trợ" in _open(client, reviewer, a)


def test_submitted_scores_stay_visible_to_reviewer_consensus_and_letter(
    app, client, make, session, call
):
    pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session, "Chuyên gia Bí Danh")
    a = make.assignment(proposal=prop, reviewer=reviewer)
    _open(client, reviewer, a)
    assert _score(client, session, a, 4).status_code == 302
    page = client.get(f"/reviews/{a.id}").get_data(as_text=True)
    own = page.split('id="own-scores"')[1].split("</table>")[0]
    criteria = session.exec(select(Criterion)).all()
    for c in criteria:
        assert f"tiêu chí {c.id}" in own
    assert "4 / 5" in own
    assert "Tốt" in own
    client.logout()

    manager = make.manager()
    client.login(manager.email)
    consensus = client.get(f"/review-management/proposals/{prop.id}/consensus").get_data(
        as_text=True
    )
    for c in criteria:
        assert f"tiêu chí {c.id}" in consensus
    client.post_form(
        f"/review-management/proposals/{prop.id}/consensus",
        {"text": "Đồng thuận: tài trợ.", "approve": "y"},
    )
    client.post_form(
        f"/budget/slate?proposal={prop.id}", {"confirm": "y", "note": "Ưu tiên chiến lược"}
    )
    assert client.post_form(f"/review-management/calls/{call.id}/decisions", {}).status_code == 302
    decision_id = decision_for(session, prop.id).id
    sent = client.post_form(
        f"/letters/calls/{call.id}", {"decision": decision_id, "confirm": "yes"}
    )
    assert sent.status_code == 302
    client.logout()
    client.login(pi.email)
    letter = client.get(f"/letters/proposals/{prop.id}.pdf")
    assert letter.status_code == 200, letter.status_code
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(letter.data)).pages)
    folded = " ".join(text.split())
    for c in criteria:
        assert f"tiêu chí {c.id}" in folded
    assert "Chuyên gia Bí Danh" not in folded


def test_council_members_read_the_same_whole_proposal(client, make, session):
    from tests.council_sheets_data import sitting

    sit = sitting(make, session, items=1)
    (item,) = sit.items
    client.login(sit.members[3].email)
    page = client.get(f"/council-work/items/{item.id}").get_data(as_text=True)
    for section in ("dossier-team", "dossier-plan", "dossier-budget", "dossier-outputs"):
        assert f'id="{section}"' in page
    assert f'href="/council-work/items/{item.id}/proposal.pdf"' in page
    pdf = client.get(f"/council-work/items/{item.id}/proposal.pdf")
    assert pdf.mimetype == "application/pdf"
    assert PdfReader(BytesIO(pdf.data)).pages
    client.logout()
    client.login(_reviewer(make, session, "Người ngoài").email)
    assert client.get(f"/council-work/items/{item.id}/proposal.pdf").status_code in (403, 404)


def test_a_file_added_after_submission_is_not_served_to_the_reviewer(
    app, client, make, session, call
):
    """The reviewer downloads the files of the submitted version only, never a draft's."""
    from funds.proposals.models import Attachment

    pi, prop = _proposal(app, make, session, call)
    reviewer = _reviewer(make, session)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    submitted = session.exec(select(Attachment).where(Attachment.proposal_id == prop.id)).one()
    submission_svc.reopen(session, actor=pi, proposal_id=prop.id)
    session.commit()
    later = add_attachment(
        session,
        actor=pi,
        proposal_id=prop.id,
        kind="other",
        filename="bản nháp sau.pdf",
        data=PDF + b"%draft",
        directory=Path(app.config["INSTANCE_DATA"]) / "files",
    )
    session.commit()
    _open(client, reviewer, a)
    served = client.get(f"/reviews/{a.id}/attachments/{submitted.id}")
    assert served.status_code == 200
    served.close()
    assert client.get(f"/reviews/{a.id}/attachments/{later.id}").status_code == 404
