"""The walking skeleton's path through the HTTP routes, as each role would take it."""

import re
from datetime import timedelta

from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.proposals.models import Proposal


def _id_from(location: str) -> int:
    return int(re.search(r"/(\d+)(?:/|$)", location).group(1))


def test_one_proposal_from_call_to_decision(client, make, session):
    manager = make.manager()
    applicant = make.user("applicant", email="pi@example.org")
    reviewer = make.user("reviewer", email="rev@example.org", name="Giáo sư Bí Mật")

    client.login(manager.email)
    r = client.post_form("/funds/new", {"code": "NAF", "name": "Quỹ NAF"})
    assert r.status_code == 302
    fund_id = (
        session.exec(select(AuditEntry).where(AuditEntry.object_type == "fund")).all()[-1].object_id
    )
    r = client.post_form(
        f"/funds/{fund_id}/calls/new",
        {
            "title": "Đợt 1",
            "opens_at": "2020-01-01T08:00",
            "closes_at": "2099-12-31T17:00",
            "ceiling_vnd": "2.000.000.000",
            "budget_vnd": "10.000.000.000",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    call_id = _id_from(r.location)
    client.logout()

    client.login(applicant.email)
    r = client.post_form(
        f"/calls/{call_id}/proposals/new",
        {
            "title": "Vi mạch tiết kiệm năng lượng",
            "abstract": "Tóm tắt",
            "area_code": "",
            "requested_vnd": "1.500.000.000",
        },
    )
    assert r.status_code == 302
    pid = _id_from(r.location)
    r = client.post_form(
        f"/proposals/{pid}/edit",
        {
            "title": "Vi mạch RISC-V tiết kiệm năng lượng",
            "abstract": "Tóm tắt mới",
            "area_code": "SEMICONDUCTOR",
            "requested_vnd": "1.600.000.000",
            "version_id": "1",
            "title_en": "Energy-saving RISC-V chips",
            "keywords": "RISC-V; vi mạch",
            "trl_now": "3",
            "trl_target": "6",
            "duration_months": "24",
            "wp-0-owner": "PI",
            "wp-0-task": "Thiết kế",
            "wp-0-due": "6",
            "wp-0-deliverable": "Bản thiết kế",
            "budget-personnel-2099": "1.600.000.000",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    r = client.post_form(f"/proposals/{pid}/submit", {"confirm": "yes"}, follow_redirects=True)
    assert "Đã nộp" in r.get_data(as_text=True)  # the applicant's account is in Vietnamese
    client.logout()

    client.login(manager.email)
    r = client.post_form(f"/proposals/{pid}/reviewers", {"reviewer_id": str(reviewer.id)})
    assert r.status_code == 302
    client.logout()

    client.login(reviewer.email)
    page = client.get("/reviews").get_data(as_text=True)
    aid = int(re.search(r"/reviews/(\d+)", page).group(1))
    assert "Tóm tắt mới" not in client.get(f"/reviews/{aid}").get_data(as_text=True)
    client.post_form(f"/reviews/{aid}/confidentiality", {})
    assert "Tóm tắt mới" in client.get(f"/reviews/{aid}").get_data(as_text=True)  # summary only
    assert "1.600.000.000" not in client.get(f"/reviews/{aid}").get_data(as_text=True)
    client.post_form(f"/reviews/{aid}/declaration", {"conflict": "no"})
    r = client.post_form(
        f"/reviews/{aid}", {"score": "8", "comment": "Đề tài tốt.", "action": "submit"}
    )
    assert r.status_code == 302
    client.logout()

    client.login(manager.email)
    r = client.post_form(f"/proposals/{pid}/decision", {"outcome": "funded", "note": "Chúc mừng"})
    assert r.status_code == 302
    client.logout()

    client.login(applicant.email)
    page = client.get(f"/proposals/{pid}").get_data(as_text=True)
    assert "Chúc mừng" in page
    assert "Đề tài tốt." in page
    assert "Giáo sư Bí Mật" not in page
    assert "rev@example.org" not in page

    session.expire_all()
    assert session.get(Proposal, pid).status == "funded"
    trail = [
        (e.object_type, e.action, e.from_state, e.to_state)
        for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    ]
    assert ("proposal", "submit", "draft", "submitted") in trail
    assert ("proposal", "decide", "submitted", "funded") in trail
    assert ("review_assignment", "submit_review", "assigned", "submitted") in trail


def test_submission_refused_after_call_closes_by_server_time(client, make, session):
    call = make.call(closes_in=timedelta(seconds=2))
    pi = make.user("applicant")
    p = make.proposal(pi=pi, call=call)
    # move the deadline into the past, as the clock would
    call.closes_at = call.opens_at + timedelta(seconds=1)
    session.add(call)
    session.commit()
    client.login(pi.email)
    client.use_language("en")
    page = client.post_form(f"/proposals/{p.id}/submit", {"confirm": "yes"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "no longer accepted" in text
    session.expire_all()
    assert session.get(Proposal, p.id).status == "draft"
