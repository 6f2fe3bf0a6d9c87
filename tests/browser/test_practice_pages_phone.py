"""The demo's pages of the review practices (issue 18: the applicant's response, the lottery at
the funding line, two-stage calls) at 375 px, in each state the demo holds; axe-core checks
every page as it loads (the walk of test_every_page_phone.py stops two links from the
landing page, before most of these)."""

import pytest
from sqlmodel import Session, select

from funds.accounts.services import find_user_by_email
from funds.proposals.models import Proposal
from portal import demo
from reviews.consolidation.lottery.models import Lottery
from reviews.councils.meetings.models import MeetingItem
from reviews.rebuttal.models import Rebuttal

pytestmark = pytest.mark.browser


def _pages(app) -> dict[str, list[str]]:
    """Each account's pages of the practices, found in the seeded demo."""
    with Session(app.extensions["rdfund.engine"]) as s:
        first = find_user_by_email(s, "applicant@example.org").id
        windows = s.exec(select(Rebuttal).order_by(Rebuttal.id)).all()
        answered = next(w for w in windows if w.submitted_at is not None)
        to_answer = next(w for w in windows if s.get(Proposal, w.proposal_id).pi_id == first)
        lotteries = s.exec(select(Lottery).order_by(Lottery.id)).all()
        item = s.exec(
            select(MeetingItem).where(MeetingItem.proposal_id == answered.proposal_id)
        ).one()
        staged = s.exec(
            select(Proposal).where(Proposal.call_id == _two_stage_call(s)).order_by(Proposal.id)
        ).all()
    shortlisted, not_shortlisted, full = staged
    return {
        "applicant@example.org": [
            f"/proposals/{to_answer.proposal_id}/response",
            f"/proposals/{shortlisted.id}",
            f"/proposals/{full.id}",
            f"/proposals/{full.id}/edit",
        ],
        "applicant2@example.org": [
            f"/proposals/{answered.proposal_id}/response",
            f"/proposals/{not_shortlisted.id}",
        ],
        "manager@example.org": [
            *(f"/review-management/calls/{lot.call_id}" for lot in lotteries),
            *(f"/review-management/calls/{lot.call_id}/lottery/" for lot in lotteries),
            f"/councils/items/{item.id}",
        ],
        "chutich@example.org": [f"/council-work/items/{item.id}"],
    }


def _two_stage_call(s) -> int:
    """The demo's two-stage call in its second stage (the one with a full proposal)."""
    return s.exec(select(Proposal.call_id).where(Proposal.outline_id.is_not(None))).one()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_the_practices_demo_pages_fit_a_phone_and_pass_axe(
    app, page, live_server, runner, sign_in, accessibility_audit
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    found = []
    for email, paths in _pages(app).items():
        page.context.clear_cookies()
        sign_in(email, demo.DEMO_PASSWORD)
        for path in paths:
            response = page.goto(live_server + path)
            assert response is not None
            if response.status != 200:
                found.append(f"{email} {path}: HTTP {response.status}")
            accessibility_audit.check(page)
    assert found == []
    assert accessibility_audit.checked >= 14
