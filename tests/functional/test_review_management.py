"""Rubric reviews, blind visibility, assignment, ranking, decisions and letters over HTTP."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import select

from funds.proposals.models import Proposal
from funds.proposals.queries import decision_for
from reviews.assignment.models import ReviewAssignment
from reviews.pool.services import accept_confidentiality, save_profile
from reviews.rubric.models import Criterion


@pytest.fixture
def call_with_rubric(client, make, session):
    call = make.call(budget_vnd=2_500_000_000)
    manager = make.manager()
    client.login(manager.email)
    assert client.post_form(f"/review-management/calls/{call.id}/rubric", {}).status_code == 302
    client.post_form(
        f"/review-management/calls/{call.id}/rubric",
        {"total_threshold": "50", "per_proposal": "2", "show_others_after_submit": "y"},
    )
    client.logout()
    return call


def _reviewers(make, session, n):
    people = [
        make.user("reviewer", name=f"Chuyên gia Bí Danh {i}", institution=f"Viện {i}")
        for i in range(n)
    ]
    for r in people:
        save_profile(
            session, actor=r, keywords="chip", areas=[], languages="vi", max_load=4, available=True
        )
        accept_confidentiality(session, actor=r)
    session.commit()
    return people


def _score_all(client, session, assignment, reviewer, value, submit=True):
    client.login(reviewer.email)
    client.post_form(f"/reviews/{assignment.id}/declaration", {"conflict": "no"})
    criteria = session.exec(select(Criterion)).all()
    data = {"comment": f"Nhận xét {value}", "action": "submit" if submit else "save"}
    for c in criteria:
        data[f"score_{c.id}"] = str(min(value, c.scale_max))
        data[f"comment_{c.id}"] = "ổn"
    r = client.post_form(f"/reviews/{assignment.id}", data)
    client.logout()
    return r


def test_whole_review_round_from_assignment_to_letters(client, make, session, call_with_rubric):
    call = call_with_rubric
    pis = [make.user("applicant", institution=f"Trường {i}") for i in range(3)]
    props = [
        make.proposal(
            pi=pi, call=call, submit=True, requested_vnd=1_000_000_000, title=f"Đề tài {i}"
        )
        for i, pi in enumerate(pis)
    ]
    reviewers = _reviewers(make, session, 3)
    client.login(make.manager().email)
    r = client.post_form(f"/review-management/calls/{call.id}/assignment", {"fairness": ""})
    assert r.status_code == 302
    client.logout()
    pairs = session.exec(select(ReviewAssignment)).all()
    assert len(pairs) == 6
    by_reviewer = {r.id: r for r in reviewers}
    for a in pairs:
        value = {props[0].id: 5, props[1].id: 4, props[2].id: 1}[a.proposal_id]
        assert _score_all(client, session, a, by_reviewer[a.reviewer_id], value).status_code == 302

    client.login(make.manager().email)
    client.use_language("en")
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    assert page.index("Đề tài 0") < page.index("Đề tài 1") < page.index("Đề tài 2")
    client.post_form(
        f"/review-management/proposals/{props[0].id}/consensus",
        {"text": "Hội đồng thống nhất đánh giá cao.", "approve": "y"},
    )
    page = client.post_form(
        f"/review-management/calls/{call.id}/decisions", {}, follow_redirects=True
    ).get_data(as_text=True)
    assert "below the strategic-technology floor" in page  # no budget figures yet
    session.expire_all()
    assert session.get(Proposal, props[0].id).status == "submitted"
    slate = f"/budget/slate?proposal={props[0].id}&proposal={props[1].id}"
    client.post_form(slate, {"confirm": "y", "note": "Ưu tiên công nghệ chiến lược"})
    assert client.post_form(f"/review-management/calls/{call.id}/decisions", {}).status_code == 302
    session.expire_all()
    statuses = [session.get(Proposal, p.id).status for p in props]
    assert statuses == ["funded", "funded", "not_funded"]  # 2.5 bn budget; 2 fails threshold
    chosen = [decision_for(session, props[0].id).id, decision_for(session, props[2].id).id]
    sent = client.post_form(f"/letters/calls/{call.id}", {"decision": chosen, "confirm": "yes"})
    assert sent.status_code == 302
    client.logout()

    client.login(pis[0].email)
    pdf = client.get(f"/letters/proposals/{props[0].id}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Hội đồng thống nhất đánh giá cao." in text
    assert "Đề tài 0" in text
    assert "Bí Danh" not in text
    assert client.get(f"/letters/proposals/{props[1].id}.pdf").status_code == 404
    client.logout()
    client.login(pis[1].email)  # a decision whose letter is not issued yet: nothing to read
    assert client.get(f"/letters/proposals/{props[1].id}.pdf").status_code == 404


def test_reviewer_sees_others_only_after_submitting(client, make, session, call_with_rubric):
    prop = make.proposal(call=call_with_rubric, submit=True)
    first, second = _reviewers(make, session, 2)
    a1 = make.assignment(proposal=prop, reviewer=first)
    a2 = make.assignment(proposal=prop, reviewer=second)
    _score_all(client, session, a1, first, 4)
    _score_all(client, session, a2, second, 3, submit=False)
    client.login(second.email)
    page = client.get(f"/reviews/{a2.id}").get_data(as_text=True)
    assert "Nhận xét 4" not in page
    assert "other-reviews" not in page
    client.logout()
    _score_all(client, session, a2, second, 3)
    client.login(second.email)
    page = client.get(f"/reviews/{a2.id}").get_data(as_text=True)
    assert "Nhận xét 4" in page
    assert first.name not in page


def test_submission_without_every_criterion_is_refused_and_keeps_the_text(
    client, make, session, call_with_rubric
):
    prop = make.proposal(call=call_with_rubric, submit=True)
    (reviewer,) = _reviewers(make, session, 1)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    client.login(reviewer.email)
    client.post_form(f"/reviews/{a.id}/declaration", {"conflict": "no"})
    r = client.post_form(f"/reviews/{a.id}", {"comment": "Văn bản dài đã gõ", "action": "submit"})
    assert r.status_code == 200
    assert "Văn bản dài đã gõ" in r.get_data(as_text=True)


def test_declared_conflict_removes_the_proposal_and_hides_it(client, make, session):
    prop = make.proposal(submit=True, abstract="Bí mật kỹ thuật")
    (reviewer,) = _reviewers(make, session, 1)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    client.login(reviewer.email)
    r = client.post_form(f"/reviews/{a.id}/declaration", {"conflict": "yes", "reason": ""})
    assert r.status_code == 200  # a reason is needed
    client.post_form(f"/reviews/{a.id}/declaration", {"conflict": "yes", "reason": "Đồng tác giả"})
    assert client.get(f"/reviews/{a.id}").status_code == 404


def test_only_managers_reach_review_management(client, make, call_with_rubric):
    for role in ("applicant", "reviewer"):
        user = make.user(role)
        client.login(user.email)
        assert client.get(f"/review-management/calls/{call_with_rubric.id}").status_code == 403
        assert (
            client.post_form(
                f"/review-management/calls/{call_with_rubric.id}/decisions", {}
            ).status_code
            == 403
        )
        client.logout()


def test_manager_reopens_a_submitted_review(client, make, session, call_with_rubric):
    prop = make.proposal(call=call_with_rubric, submit=True)
    (reviewer,) = _reviewers(make, session, 1)
    a = make.assignment(proposal=prop, reviewer=reviewer)
    _score_all(client, session, a, reviewer, 4)
    client.login(make.manager().email)
    client.post_form(f"/review-management/calls/{call_with_rubric.id}/reopen/{a.id}", {})
    client.logout()
    client.login(reviewer.email)
    assert 'id="review-form"' in client.get(f"/reviews/{a.id}").get_data(as_text=True)


def test_funding_override_needs_a_reason(client, make, call_with_rubric):
    prop = make.proposal(call=call_with_rubric, submit=True)
    client.login(make.manager().email)
    url = f"/review-management/calls/{call_with_rubric.id}/override/{prop.id}"
    page = client.post_form(url, {"include": "1", "reason": ""}, follow_redirects=True)
    assert re.search("reason|lý do", page.get_data(as_text=True), re.I)


def test_reviewer_downloads_attachments_only_after_declaring_no_conflict(
    app, client, make, session
):
    from pathlib import Path

    from funds.submission.files import add_attachment

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"
    pi = make.user("applicant")
    prop = make.proposal(pi=pi)
    att = add_attachment(
        session,
        actor=pi,
        proposal_id=prop.id,
        kind="description",
        filename="đề cương.pdf",
        data=pdf,
        directory=Path(app.config["INSTANCE_DATA"]) / "files",
    )
    session.commit()
    from funds.submission import services as submission_svc

    submission_svc.submit(session, actor=pi, proposal_id=prop.id)
    session.commit()
    mine, other = _reviewers(make, session, 2)
    a = make.assignment(proposal=prop, reviewer=mine)
    url = f"/reviews/{a.id}/attachments/{att.id}"
    client.login(mine.email)
    assert client.get(url).status_code == 403  # before the declaration
    client.post_form(f"/reviews/{a.id}/declaration", {"conflict": "no"})
    assert "đề cương.pdf" in client.get(f"/reviews/{a.id}").get_data(as_text=True)
    response = client.get(url)
    assert response.data == pdf
    response.close()
    client.logout()
    client.login(other.email)
    assert client.get(url).status_code == 404
