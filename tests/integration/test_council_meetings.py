"""Council meetings on a real database (both backends): the agenda, attendance, members'
conflicts per item (found automatically as in peer review, or declared), the quorum of each
item computed without its conflicted members (issue 14's Done-when), and a meeting without
quorum that can start nothing and so concludes nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.errors import InvalidTransition, NotAllowed, NotFound, RuleViolation
from reviews.councils.errors import NoQuorum
from reviews.councils.meetings import queries as mq
from reviews.councils.meetings import services as meetings
from reviews.councils.meetings.models import ItemStatus, MeetingStatus
from tests.councils_data import SEVEN, selection_council

NINE = (*SEVEN, "member", "member")


def _meeting(make, session, roles=SEVEN, pi_institution="Trường Đại học X"):
    council, seats, call = selection_council(make, session, roles=roles)
    pi = make.user("applicant", institution=pi_institution)
    proposal = make.proposal(pi=pi, call=call, submit=True)
    manager = make.manager()
    meeting = meetings.schedule_meeting(
        session,
        actor=manager,
        council_id=council.id,
        starts_at=utcnow() + timedelta(days=3),
        mode="mixed",
        place="Phòng họp 301, 39 Trần Hưng Đạo, Hà Nội",
        link="https://meet.example.org/hd-12",
    )
    item = meetings.add_item(session, actor=manager, meeting_id=meeting.id, proposal_id=proposal.id)
    session.commit()
    return council, seats, meeting, item, proposal


def _attend(session, actor, meeting, seats, indexes):
    for i, seat in enumerate(seats):
        meetings.record_attendance(
            session, actor=actor, meeting_id=meeting.id, seat_id=seat.id, present=i in indexes
        )


def _user(session, seat) -> User:
    return session.get_one(User, seat.user_id)


def test_a_member_from_the_pis_institution_is_conflicted_automatically(make, session):
    _council, seats, _m, item, _ = _meeting(make, session, pi_institution="Viện 5")
    conflicts = mq.conflicts_of(session, item.id)
    assert [(c.seat_id, c.source) for c in conflicts] == [(seats[4].id, "automatic")]
    assert "Same institution as a member of the team." in conflicts[0].reason
    assert seats[4].id not in {s.id for s in mq.voters(session, item)}


def test_a_present_member_who_declares_a_conflict_leaves_the_item_and_its_quorum(make, session):
    """Nine members, six present (two thirds, with chair and secretary): quorum. A present
    member declares a conflict: eight members remain, six are needed, five are present."""
    _council, seats, meeting, item, _ = _meeting(make, session, roles=NINE)
    secretary = _user(session, seats[2])
    meetings.open_meeting(session, actor=secretary, meeting_id=meeting.id)
    _attend(session, secretary, meeting, seats, {0, 1, 2, 3, 4, 5})
    q = mq.item_quorum(session, item)
    assert (q.ok, q.members, q.present, q.needed) == (True, 9, 6, 6)
    member = _user(session, seats[5])
    meetings.declare_item_conflict(
        session, actor=member, item_id=item.id, reason="Tôi là đồng tác giả của chủ nhiệm"
    )
    q = mq.item_quorum(session, item)
    assert (q.ok, q.members, q.present, q.needed) == (False, 8, 5, 6)
    assert q.reasons == ["Fewer members are present than the quorum needs."]
    with pytest.raises(NoQuorum):
        meetings.start_item(session, actor=secretary, item_id=item.id)
    assert item.status == ItemStatus.PENDING
    # the meeting quorum without conflicts is still there: only this item lacks it
    assert mq.meeting_quorum(session, meeting).ok
    # one more member arrives: six of the eight who may sit on the item
    meetings.record_attendance(
        session,
        actor=secretary,
        meeting_id=meeting.id,
        seat_id=seats[6].id,
        present=True,
        how="online",
    )
    meetings.start_item(session, actor=secretary, item_id=item.id)
    assert item.status == ItemStatus.DELIBERATING
    assert seats[5].id not in {s.id for s in mq.voters(session, item)}
    assert len(mq.voters(session, item)) == 6


def test_an_absent_conflicted_member_lowers_the_quorum_needed(make, session):
    _council, seats, meeting, item, _ = _meeting(make, session, roles=NINE)
    manager = make.manager()
    meetings.open_meeting(session, actor=manager, meeting_id=meeting.id)
    _attend(session, manager, meeting, seats, {0, 1, 2, 3, 4})
    assert not mq.item_quorum(session, item).ok  # 5 of 9, 6 needed
    meetings.declare_item_conflict(
        session, actor=manager, item_id=item.id, seat_id=seats[8].id, reason="Cùng cơ quan"
    )
    q = mq.item_quorum(session, item)
    assert (q.ok, q.members, q.needed) == (False, 8, 6)
    meetings.declare_item_conflict(
        session, actor=manager, item_id=item.id, seat_id=seats[7].id, reason="Hướng dẫn chủ nhiệm"
    )
    q = mq.item_quorum(session, item)
    assert (q.ok, q.members, q.needed) == (True, 7, 5)


def test_without_the_chair_or_the_secretary_there_is_no_quorum(make, session):
    _council, seats, meeting, item, _ = _meeting(make, session)
    manager = make.manager()
    meetings.open_meeting(session, actor=manager, meeting_id=meeting.id)
    _attend(session, manager, meeting, seats, {1, 2, 3, 4, 5, 6})
    q = mq.item_quorum(session, item)
    assert q.reasons == ["The chair must be present."]


def test_a_meeting_without_quorum_starts_nothing_and_closes_having_concluded_nothing(make, session):
    _council, seats, meeting, item, _ = _meeting(make, session)
    secretary = _user(session, seats[2])
    meetings.open_meeting(session, actor=secretary, meeting_id=meeting.id)
    _attend(session, secretary, meeting, seats, {0, 2, 3})
    with pytest.raises(NoQuorum) as refused:
        meetings.start_item(session, actor=secretary, item_id=item.id)
    assert refused.value.params == {"present": 3, "needed": 5}
    meetings.close_meeting(session, actor=secretary, meeting_id=meeting.id)
    session.commit()
    assert meeting.status == MeetingStatus.CLOSED
    assert (item.status, item.conclusion) == (ItemStatus.PENDING, None)
    with pytest.raises(InvalidTransition):
        meetings.record_attendance(
            session, actor=secretary, meeting_id=meeting.id, seat_id=seats[1].id, present=True
        )


def test_voting_needs_the_quorum_still_present_and_closing_waits_for_the_item(make, session):
    _council, seats, meeting, item, _ = _meeting(make, session)
    secretary = _user(session, seats[2])
    meetings.open_meeting(session, actor=secretary, meeting_id=meeting.id)
    _attend(session, secretary, meeting, seats, {0, 1, 2, 3, 4})
    meetings.start_item(session, actor=secretary, item_id=item.id)
    with pytest.raises(InvalidTransition):
        meetings.close_meeting(session, actor=secretary, meeting_id=meeting.id)
    meetings.record_attendance(
        session, actor=secretary, meeting_id=meeting.id, seat_id=seats[4].id, present=False
    )
    with pytest.raises(NoQuorum):
        meetings.open_voting(session, actor=secretary, item_id=item.id)
    meetings.record_attendance(
        session, actor=secretary, meeting_id=meeting.id, seat_id=seats[4].id, present=True
    )
    meetings.open_voting(session, actor=secretary, item_id=item.id)
    assert item.status == ItemStatus.VOTING
    with pytest.raises(InvalidTransition):  # no conflict declared once the vote is open
        meetings.declare_item_conflict(
            session, actor=_user(session, seats[3]), item_id=item.id, reason="muộn"
        )
    with pytest.raises(InvalidTransition):
        meetings.close_meeting(session, actor=secretary, meeting_id=meeting.id)


def test_a_forming_council_does_not_meet(make, session):
    council, _seats, _call = selection_council(make, session, activate=False)
    meeting = meetings.schedule_meeting(
        session,
        actor=make.manager(),
        council_id=council.id,
        starts_at=utcnow() + timedelta(days=1),
        mode="online",
        link="https://meet.example.org/x",
    )
    with pytest.raises(InvalidTransition):
        meetings.open_meeting(session, actor=make.manager(), meeting_id=meeting.id)


def test_every_member_is_told_of_a_scheduled_meeting(make, session):
    from funds.notifications.models import Notification

    council, seats, _call = selection_council(make, session)
    meetings.schedule_meeting(
        session,
        actor=make.manager(),
        council_id=council.id,
        starts_at=utcnow() + timedelta(days=3),
        mode="online",
        link="https://meet.example.org/y",
    )
    told = session.exec(
        select(Notification.user_id).where(Notification.kind == "council_meeting")
    ).all()
    assert sorted(told) == sorted(s.user_id for s in seats)


def test_a_meeting_in_person_needs_a_place_and_online_a_link(make, session):
    council, _seats, _ = selection_council(make, session)
    with pytest.raises(RuleViolation) as refused:
        meetings.schedule_meeting(
            session,
            actor=make.manager(),
            council_id=council.id,
            starts_at=utcnow() + timedelta(days=1),
            mode="mixed",
            link="http://insecure",
        )
    assert [v.field for v in refused.value.violations] == ["place", "link"]


def test_only_submitted_proposals_of_the_councils_call_go_on_the_agenda(make, session):
    council, _seats, meeting, _item, _ = _meeting(make, session)
    elsewhere = make.proposal(submit=True)
    draft = make.proposal(call=session.get_one(type(elsewhere.call), council.call_id))
    for proposal in (elsewhere, draft):
        with pytest.raises(RuleViolation):
            meetings.add_item(
                session, actor=make.manager(), meeting_id=meeting.id, proposal_id=proposal.id
            )


def test_a_member_of_another_council_gets_not_found_and_a_member_cannot_run_the_meeting(
    make, session
):
    _council, seats, meeting, item, _ = _meeting(make, session)
    _other, other_seats, _ = selection_council(make, session, call=make.call(fund=make.fund()))
    outsider = _user(session, other_seats[2])  # the other council's secretary
    with pytest.raises(NotFound):
        mq.item_access(session, actor=outsider, item_id=item.id)
    with pytest.raises(NotFound):
        mq.meeting_access(session, actor=outsider, meeting_id=meeting.id)
    with pytest.raises(NotFound):
        meetings.record_attendance(
            session, actor=outsider, meeting_id=meeting.id, seat_id=seats[0].id, present=True
        )
    with pytest.raises(NotFound):
        meetings.declare_item_conflict(session, actor=outsider, item_id=item.id, reason="x")
    member = _user(session, seats[5])
    assert mq.item_access(session, actor=member, item_id=item.id).seat == seats[5]
    with pytest.raises(NotAllowed):
        meetings.record_attendance(
            session, actor=member, meeting_id=meeting.id, seat_id=seats[5].id, present=True
        )
    with pytest.raises(NotAllowed):  # one member does not record another's conflict
        meetings.declare_item_conflict(
            session, actor=member, item_id=item.id, seat_id=seats[6].id, reason="x"
        )


def test_the_member_agenda_lists_the_items_of_their_councils_only(make, session):
    council, seats, meeting, item, _ = _meeting(make, session)
    _other, other_seats, _ = selection_council(make, session)
    rows = mq.member_agenda(session, _user(session, seats[3]))
    assert [(r.meeting.id, r.item.id, r.seat.id) for r in rows] == [
        (meeting.id, item.id, seats[3].id)
    ]
    assert mq.member_agenda(session, _user(session, other_seats[3])) == []
    assert mq.council_of_item(session, item.id) == council
    assert mq.seat_of(session, council.id, seats[3].user_id) == seats[3]


def test_every_step_of_the_meeting_is_audited(make, session):
    _council, seats, meeting, item, _ = _meeting(make, session)
    secretary = _user(session, seats[2])
    meetings.open_meeting(session, actor=secretary, meeting_id=meeting.id)
    _attend(session, secretary, meeting, seats, set(range(7)))
    meetings.start_item(session, actor=secretary, item_id=item.id)
    meetings.open_voting(session, actor=secretary, item_id=item.id)
    session.commit()
    actions = session.exec(
        select(AuditEntry.object_type, AuditEntry.action).where(
            AuditEntry.object_type.in_(["meeting", "meeting_item", "attendance"])
        )
    ).all()
    assert ("meeting", "schedule") in actions
    assert ("meeting", "open") in actions
    assert ("meeting_item", "start") in actions
    assert ("meeting_item", "open_voting") in actions
    assert sum(1 for a in actions if a == ("attendance", "record")) == 7
