"""The ranking page and the decisions along the funding line, over HTTP: thresholds per
criterion, and a tie at the line that the manager must decide before anything is recorded."""

import pytest
from sqlmodel import select

from funds.proposals.models import Proposal
from reviews.pool.services import accept_confidentiality, save_profile
from reviews.reviewing.services import declare_conflict, save_rubric_review
from reviews.rubric.models import Criterion

# the default rubric: merit ×3 (threshold 3), feasibility ×2 (2), impact ×2 (2), team ×1 (2)
PROFILES = {
    "Đề tài đầu bảng": [5, 5, 5, 5],  # 100%
    "Đề tài đồng hạng A": [4, 4, 4, 4],  # 80%, tied with B for the 1.5 bn left: one fits
    "Đề tài đồng hạng B": [4, 4, 4, 4],
    "Đề tài yếu khoa học": [2, 5, 5, 5],  # 77.5% passes the total, merit 2 < 3 fails
}


@pytest.fixture
def ranked_call(client, make, session):
    """A call of 2.5 bn with the default rubric and four proposals of 1 bn, each scored
    alike by two reviewers."""
    return _ranked(client, make, session)


def _ranked(client, make, session, **call_kw):
    call = make.call(budget_vnd=2_500_000_000, **call_kw)
    client.login(make.manager().email)
    assert client.post_form(f"/review-management/calls/{call.id}/rubric", {}).status_code == 302
    client.logout()
    criteria = session.exec(select(Criterion).order_by(Criterion.position)).all()
    reviewers = [
        make.user("reviewer", name=f"Chuyên gia {i}", institution=f"Viện {i}") for i in range(2)
    ]
    for r in reviewers:
        save_profile(
            session, actor=r, keywords="chip", areas=[], languages="vi", max_load=4, available=True
        )
        accept_confidentiality(session, actor=r)
    proposals = {}
    for i, (title, marks) in enumerate(PROFILES.items()):
        pi = make.user("applicant", institution=f"Trường {i}")
        proposals[title] = make.proposal(pi=pi, call=call, submit=True, title=title)
        for reviewer in reviewers:
            a = make.assignment(proposal=proposals[title], reviewer=reviewer)
            declare_conflict(session, actor=reviewer, assignment_id=a.id, has_conflict=False)
            save_rubric_review(
                session,
                actor=reviewer,
                assignment_id=a.id,
                scores={c.id: m for c, m in zip(criteria, marks, strict=True)},
                comments={c.id: "ổn" for c in criteria},
                comment="Nhận xét",
                submit=True,
            )
    session.commit()
    client.login(make.manager().email)
    return call, proposals


def _statuses(session, proposals):
    session.expire_all()
    return {title: session.get(Proposal, p.id).status for title, p in proposals.items()}


def test_ranking_page_marks_the_tie_and_the_failing_criterion(client, ranked_call):
    call, _proposals = ranked_call
    client.use_language("en")
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    assert 'id="funding-line-ties"' in page
    assert page.count("Tied at the line: to be decided") == 2
    assert page.count('2<span title="Same score as another proposal">=</span>') == 2
    assert "Scientific merit: mean 2, below its threshold 3" in page
    assert page.index("Đề tài đồng hạng B") < page.index("Đề tài yếu khoa học")


def test_on_a_lottery_call_the_tie_warning_sends_the_tie_to_the_lottery(client, make, session):
    call, _proposals = _ranked(client, make, session, lottery_at_line=True)
    client.use_language("en")
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    warning = page[page.index('id="funding-line-ties"') :]
    warning = warning[: warning.index("</div>")]
    assert "the tied proposals go to the lottery" in warning
    assert "The manager (or the council) decides" not in warning
    assert page.count("Tied at the line: goes to the lottery") == 2
    assert "Tied at the line: to be decided" not in page
    client.use_language("vi")
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    assert "các hồ sơ đồng hạng được đưa vào bốc thăm" in page
    assert "Đồng hạng tại ngưỡng: đưa vào bốc thăm" in page


def test_apply_refuses_a_tie_at_the_line_in_the_users_language(client, session, ranked_call):
    call, proposals = ranked_call
    client.use_language("vi")
    page = client.post_form(
        f"/review-management/calls/{call.id}/decisions", {}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Đồng hạng tại ngưỡng tài trợ: «Đề tài đồng hạng A», «Đề tài đồng hạng B»" in page
    assert set(_statuses(session, proposals).values()) == {"submitted"}


def test_once_the_manager_decides_the_tie_the_line_is_recorded(client, session, ranked_call):
    call, proposals = ranked_call
    client.use_language("en")
    b = proposals["Đề tài đồng hạng B"]
    r = client.post_form(
        f"/review-management/calls/{call.id}/override/{b.id}",
        {"include": "0", "reason": "Hội đồng chọn đề tài A sau khi họp"},
    )
    assert r.status_code == 302
    page = client.get(f"/review-management/calls/{call.id}").get_data(as_text=True)
    assert 'id="funding-line-ties"' not in page
    assert "Tied at the line" not in page
    assert "Hội đồng chọn đề tài A sau khi họp" in page
    above = [proposals["Đề tài đầu bảng"].id, proposals["Đề tài đồng hạng A"].id]
    slate = "/budget/slate?" + "&".join(f"proposal={pid}" for pid in sorted(above))
    client.post_form(slate, {"confirm": "y", "note": "Ưu tiên công nghệ chiến lược"})
    assert client.post_form(f"/review-management/calls/{call.id}/decisions", {}).status_code == 302
    assert _statuses(session, proposals) == {
        "Đề tài đầu bảng": "funded",
        "Đề tài đồng hạng A": "funded",
        "Đề tài đồng hạng B": "not_funded",
        "Đề tài yếu khoa học": "not_funded",
    }
