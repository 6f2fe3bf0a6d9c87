"""The demo (`flask seed-demo`) shows the review practices of issue 18 in each state worth
seeing, reached by links from the demo accounts: a response to write and one sent, the
council reading a response next to the reviews, a committed and a drawn lottery with its
replay, a shortlisted pre-proposal with its full proposal started and one not shortlisted."""

import re

from sqlmodel import select

from funds.proposals.models import Proposal
from portal import demo
from reviews.consolidation.lottery.models import Lottery
from reviews.councils.meetings.models import MeetingItem
from reviews.rebuttal.models import Rebuttal


def _seeded(runner):
    assert "Demo data ready." in runner.invoke(args=["seed-demo"]).output


def _links(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def test_the_demo_pis_answer_the_reviews_and_the_council_reads_the_answer(runner, client, session):
    _seeded(runner)
    windows = session.exec(select(Rebuttal).order_by(Rebuttal.id)).all()
    assert len(windows) == 4
    (answered,) = [w for w in windows if w.submitted_at is not None]
    client.login("applicant@example.org", demo.DEMO_PASSWORD)
    client.use_language("en")
    mine = [w for w in windows if w.proposal_id in _proposal_ids(client)]
    (waiting,) = mine
    assert waiting.submitted_at is None
    detail = client.get(f"/proposals/{waiting.proposal_id}").get_data(as_text=True)
    assert f"/proposals/{waiting.proposal_id}/response" in _links(detail)
    page = client.get(f"/proposals/{waiting.proposal_id}/response").get_data(as_text=True)
    assert "Reviewer A" in page
    assert 'id="send-response"' in page
    client.logout()
    client.login("applicant2@example.org", demo.DEMO_PASSWORD)
    sent = client.get(f"/proposals/{answered.proposal_id}/response").get_data(as_text=True)
    assert 'id="response-text"' in sent
    assert 'id="send-response"' not in sent
    client.logout()
    item = session.exec(
        select(MeetingItem).where(MeetingItem.proposal_id == answered.proposal_id)
    ).one()
    client.login("chutich@example.org", demo.DEMO_PASSWORD)
    client.use_language("en")
    assert f"/council-work/items/{item.id}" in client.get("/council-work/").get_data(as_text=True)
    council = client.get(f"/council-work/items/{item.id}").get_data(as_text=True)
    assert 'id="reviews-and-response"' in council
    assert demo_text(answered.text) in council
    assert 'id="lottery-commitment"' in council  # the call's seed is committed, not drawn
    assert 'id="lottery-seed"' not in council


def demo_text(text: str) -> str:
    return text.split(".")[0]


def _proposal_ids(client) -> set[int]:
    page = client.get("/proposals").get_data(as_text=True)
    return {int(n) for n in re.findall(r'href="/proposals/(\d+)"', page)}


def test_the_demo_manager_sees_a_committed_and_a_drawn_lottery_with_its_replay(
    runner, client, session
):
    _seeded(runner)
    committed, drawn = session.exec(select(Lottery).order_by(Lottery.id)).all()
    assert committed.drawn_at is None
    assert drawn.drawn_at is not None
    client.login("manager@example.org", demo.DEMO_PASSWORD)
    client.use_language("en")
    calls = client.get("/review-management/").get_data(as_text=True)
    for lottery in (committed, drawn):
        assert f"/review-management/calls/{lottery.call_id}" in _links(calls)
    before = client.get(f"/review-management/calls/{committed.call_id}").get_data(as_text=True)
    assert 'id="lottery-draw"' in before
    assert 'id="responses"' in before
    after = client.get(f"/review-management/calls/{drawn.call_id}").get_data(as_text=True)
    replay = f"/review-management/calls/{drawn.call_id}/lottery/"
    assert replay in _links(after)
    assert "(by lottery)" in after
    page = client.get(replay).get_data(as_text=True)
    assert "Replayed from the seed: the same order and result" in page


def test_the_demo_two_stage_call_has_a_shortlisted_and_a_not_shortlisted_pre_proposal(
    runner, client, session
):
    _seeded(runner)
    full = session.exec(select(Proposal).where(Proposal.outline_id.is_not(None))).one()
    outlines = session.exec(
        select(Proposal).where(Proposal.call_id == full.call_id, Proposal.stage == "outline")
    ).all()
    assert sorted(p.status for p in outlines) == ["not_shortlisted", "shortlisted"]
    client.login("applicant@example.org", demo.DEMO_PASSWORD)
    client.use_language("en")
    outline = client.get(f"/proposals/{full.outline_id}").get_data(as_text=True)
    assert f"/proposals/{full.id}" in _links(outline)
    assert "Decision: Shortlisted" in outline
    assert full.status == "draft"
    client.logout()
    client.login("applicant2@example.org", demo.DEMO_PASSWORD)
    client.use_language("en")
    (other,) = [p for p in outlines if p.status == "not_shortlisted"]
    assert "Decision: Not shortlisted" in client.get(f"/proposals/{other.id}").get_data(
        as_text=True
    )
