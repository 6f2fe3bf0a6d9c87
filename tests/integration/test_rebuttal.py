"""The applicant's response to the reviews, through its services on a real database: not
before the reviews are complete, within the period and the characters, never once the council
has met, and read by the council next to the reviews."""

from datetime import timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.notifications.models import Notification
from reviews.councils.meetings.models import MeetingItem
from reviews.councils.meetings.queries import item_material
from reviews.rebuttal.errors import ReviewsIncomplete, WindowClosed
from reviews.rebuttal.services import open_responses, submit_response
from tests import council_minutes_data as councils
from tests.rebuttal_data import reviewed_call

SCORES = {"Pin natri-ion": (8, 7), "Cảm biến độ ẩm đất": (6, 9)}


@pytest.fixture
def reviewed(make, session):
    return reviewed_call(make, session, SCORES, rebuttal_days=5, rebuttal_max_chars=200)


def test_the_period_does_not_open_before_every_review_is_in(make, session):
    call, proposals = reviewed_call(make, session, SCORES, leave_one_waiting=True, rebuttal_days=5)
    with pytest.raises(ReviewsIncomplete) as refused:
        open_responses(session, actor=make.manager(), call_id=call.id)
    assert refused.value.params["proposals"] == "«Cảm biến độ ẩm đất»"
    session.rollback()
    pi = session.get(type(make.manager()), proposals["Pin natri-ion"].pi_id)
    with pytest.raises(NotFound):  # no window: nothing to answer
        submit_response(session, actor=pi, proposal_id=proposals["Pin natri-ion"].id, text="x")


def test_a_call_without_a_response_period_refuses_to_open_one(make, session):
    call, _p = reviewed_call(make, session, SCORES)
    with pytest.raises(NotAllowed):
        open_responses(session, actor=make.manager(), call_id=call.id)


def test_opening_notifies_each_pi_with_the_closing_instant_and_is_audited(make, session, reviewed):
    call, proposals = reviewed
    before = utcnow()
    rows = open_responses(session, actor=make.manager(), call_id=call.id)
    session.commit()
    assert len(rows) == 2
    assert all(r.closes_at - r.opens_at == timedelta(days=5) and r.opens_at >= before for r in rows)
    notes = session.exec(select(Notification).where(Notification.kind == "rebuttal_open")).all()
    assert sorted(n.user_id for n in notes) == sorted(p.pi_id for p in proposals.values())
    assert {n.object_type for n in notes} == {"rebuttal"}
    opened = session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "rebuttal", AuditEntry.action == "open")
    ).all()
    assert len(opened) == 2
    with pytest.raises(InvalidTransition):
        open_responses(session, actor=make.manager(), call_id=call.id)


def _pi(session, proposal):
    from funds.accounts.models import User

    return session.get(User, proposal.pi_id)


def test_the_pi_answers_once_within_the_characters_and_the_council_reads_it(
    make, session, reviewed
):
    call, proposals = reviewed
    open_responses(session, actor=make.manager(), call_id=call.id)
    p = proposals["Pin natri-ion"]
    with pytest.raises(RuleViolation) as too_long:
        submit_response(session, actor=_pi(session, p), proposal_id=p.id, text="ư" * 201)
    assert too_long.value.violations[0].params == {"count": 201, "max": 200}
    with pytest.raises(NotFound):  # another applicant cannot answer for it
        submit_response(session, actor=make.user("applicant"), proposal_id=p.id, text="Tôi")
    row = submit_response(
        session, actor=_pi(session, p), proposal_id=p.id, text="  Xin cảm ơn hội đồng.\r\n"
    )
    assert row.text == "Xin cảm ơn hội đồng."
    assert row.submitted_at is not None
    with pytest.raises(InvalidTransition):
        submit_response(session, actor=_pi(session, p), proposal_id=p.id, text="Lần hai")
    assert session.exec(
        select(AuditEntry).where(
            AuditEntry.object_type == "rebuttal", AuditEntry.action == "submit"
        )
    ).one()
    sitting = councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    item = MeetingItem(meeting_id=sitting.meeting.id, proposal_id=p.id, position=1)
    session.add(item)
    session.flush()
    material = item_material(session, actor=sitting.chair, item_id=item.id)
    assert material.applicant_response == "Xin cảm ơn hội đồng."
    assert [r.label for r in material.reviews] == ["A", "B"]


def test_no_answer_after_the_period(make, session, reviewed):
    call, proposals = reviewed
    open_responses(session, actor=make.manager(), call_id=call.id)
    p = proposals["Pin natri-ion"]
    with pytest.raises(WindowClosed):
        submit_response(
            session,
            actor=_pi(session, p),
            proposal_id=p.id,
            text="Muộn",
            now=utcnow() + timedelta(days=5, seconds=1),
        )


def test_no_answer_and_no_opening_once_the_council_has_met(make, session, reviewed):
    call, proposals = reviewed
    open_responses(session, actor=make.manager(), call_id=call.id)
    councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)  # met and closed
    p = proposals["Pin natri-ion"]
    with pytest.raises(WindowClosed):
        submit_response(session, actor=_pi(session, p), proposal_id=p.id, text="Sau cuộc họp")


def test_the_period_cannot_open_once_the_council_has_met(make, session, reviewed):
    call, _proposals = reviewed
    councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    with pytest.raises(WindowClosed):
        open_responses(session, actor=make.manager(), call_id=call.id)
