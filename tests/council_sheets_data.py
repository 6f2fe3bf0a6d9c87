"""A selection council in session, built row by row for the sheets and ballots tests: seven
members (chair, vice-chair, secretary, two reviewer members, two members), an open meeting
with items on a call with the default rubric, attendance taken."""

from dataclasses import dataclass, field
from datetime import timedelta

from funds.clock import utcnow
from reviews.councils.meetings.models import (
    Attendance,
    ItemConflict,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingStatus,
)
from reviews.councils.models import Council, CouncilRules, CouncilSeat, CouncilStatus
from reviews.rubric.services import create_default_rubric

ROLES = ("chair", "vice_chair", "secretary", "reviewer_member", "reviewer_member", "member")
ROLES += ("member",)


@dataclass
class Sitting:
    council: Council
    meeting: Meeting
    items: list[MeetingItem]
    members: list  # users, in ROLES order
    seats: list[CouncilSeat]
    manager: object
    outsider: object
    by_role: dict = field(default_factory=dict)

    @property
    def chair(self):
        return self.members[0]

    @property
    def secretary(self):
        return self.members[2]

    def seat_of(self, user) -> CouncilSeat:
        return next(s for s in self.seats if s.user_id == user.id)


def sitting(make, session, *, items: int = 2, ballot: str = "secret", **rules) -> Sitting:
    """A selection council with an open meeting; items deliberating; everyone present."""
    manager = make.manager()
    call = make.call()
    create_default_rubric(session, actor=manager, call_id=call.id)
    council = Council(
        fund_id=call.fund_id,
        kind="selection",
        name="Hội đồng tư vấn tuyển chọn",
        call_id=call.id,
        status=CouncilStatus.ACTIVE,
        created_by=manager.id,
    )
    session.add(council)
    session.add(CouncilRules(fund_id=call.fund_id, kind="selection", ballot=ballot, **rules))
    session.flush()
    members = [make.user("reviewer", commit=False) for _ in ROLES]
    seats = [
        CouncilSeat(council_id=council.id, user_id=u.id, role=r, appointed_by=manager.id)
        for u, r in zip(members, ROLES, strict=True)
    ]
    session.add_all(seats)
    meeting = Meeting(
        council_id=council.id,
        starts_at=utcnow() - timedelta(hours=1),
        status=MeetingStatus.OPEN,
        created_by=manager.id,
    )
    session.add(meeting)
    session.flush()
    rows = []
    for n in range(items):
        p = make.proposal(call=call, title=f"Đề xuất {n + 1}", submit=True, commit=False)
        rows.append(
            MeetingItem(
                meeting_id=meeting.id,
                position=n,
                proposal_id=p.id,
                status=ItemStatus.DELIBERATING,
            )
        )
    session.add_all(rows)
    session.add_all(
        Attendance(meeting_id=meeting.id, seat_id=s.id, present=True, recorded_by=manager.id)
        for s in seats
    )
    outsider = make.user("reviewer", commit=False)
    session.commit()
    return Sitting(council, meeting, rows, members, seats, manager, outsider)


def set_status(session, item: MeetingItem, status: str) -> None:
    item.status = status
    session.add(item)
    session.commit()


def conflict(session, sit: Sitting, item: MeetingItem, user) -> None:
    session.add(ItemConflict(item_id=item.id, seat_id=sit.seat_of(user).id, source="declared"))
    session.commit()


def absent(session, sit: Sitting, user) -> None:
    from sqlmodel import select

    row = session.exec(
        select(Attendance).where(
            Attendance.meeting_id == sit.meeting.id, Attendance.seat_id == sit.seat_of(user).id
        )
    ).one()
    row.present = False
    session.add(row)
    session.commit()
