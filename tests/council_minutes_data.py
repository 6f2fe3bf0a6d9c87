"""Council meetings as the minutes and decisions read them, arranged row by row through the
models (the councils, sheets and ballots services are other parts of issue 14): a council
with its seats, a closed meeting with attendance, items with conclusions, tallies and sheets,
and minutes signed by the chair and the secretary."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session

from reviews.councils.ballots.models import BallotTally, OpenVote, VoteCast
from reviews.councils.meetings.models import (
    Attendance,
    ItemConflict,
    Meeting,
    MeetingItem,
    RatingSheet,
)
from reviews.councils.minutes.models import Minutes, MinutesSignature
from reviews.councils.models import Council, CouncilSeat

ROLES = (
    "chair",
    "vice_chair",
    "secretary",
    "reviewer_member",
    "reviewer_member",
    "member",
    "member",
)
NAMES = (
    "GS. Nguyễn Văn Chủ Tịch",
    "PGS. Trần Thị Phó",
    "TS. Lê Thư Ký",
    "GS. Phạm Phản Biện",
    "PGS. Hoàng Phản Biện",
    "TS. Đỗ Ủy Viên",
    "TS. Vũ Đại Diện",
)


@dataclass
class Sitting:
    council: Council
    meeting: Meeting
    seats: list[CouncilSeat]
    users: list = field(default_factory=list)

    @property
    def chair(self):
        return self.users[0]

    @property
    def secretary(self):
        return self.users[2]


def sitting(
    session: Session,
    make,
    *,
    fund_id: int,
    kind: str = "selection",
    call_id: int | None = None,
    award_id: int | None = None,
    absent: tuple[int, ...] = (6,),
) -> Sitting:
    """A council of seven (chair, vice-chair, secretary, two reviewer members, two members,
    the last representing the ordering body) and its closed meeting, all present but
    `absent` (indices)."""
    manager = make.manager()
    council = Council(
        fund_id=fund_id,
        kind=kind,
        name=f"Hội đồng {kind} số 7",
        call_id=call_id,
        award_id=award_id,
        formed_by="Quyết định số 12/QĐ-QKHCN ngày 01/11/2026",
        formed_on=date(2026, 11, 1),
        instrument_code="circular-20-2023-tt-bkhcn",
        status="active",
        created_by=manager.id,
    )
    session.add(council)
    session.flush()
    users = [make.user("reviewer", name=name, commit=False) for name in NAMES]
    seats = [
        CouncilSeat(
            council_id=council.id,
            user_id=u.id,
            role=role,
            represents="ordering_body" if n == 6 else "none",
            appointed_by=manager.id,
            confidentiality_accepted_at=datetime(2026, 11, 2, tzinfo=UTC),
        )
        for n, (u, role) in enumerate(zip(users, ROLES, strict=True))
    ]
    session.add_all(seats)
    session.flush()
    meeting = Meeting(
        council_id=council.id,
        starts_at=datetime(2026, 11, 20, 1, 30, tzinfo=UTC),  # 08:30 in Hà Nội
        mode="mixed",
        place="Phòng họp số 3, 39 Trần Hưng Đạo, Hà Nội",
        link="https://meet.example.org/hd7",
        status="closed",
        opened_at=datetime(2026, 11, 20, 1, 30, tzinfo=UTC),
        closed_at=datetime(2026, 11, 20, 5, 0, tzinfo=UTC),
        created_by=manager.id,
    )
    session.add(meeting)
    session.flush()
    session.add_all(
        Attendance(
            meeting_id=meeting.id,
            seat_id=s.id,
            present=n not in absent,
            how="online" if n == 4 else "in_person",
            recorded_by=users[2].id,
        )
        for n, s in enumerate(seats)
    )
    session.flush()
    return Sitting(council, meeting, seats, users)


def item(
    session: Session,
    sitting: Sitting,
    *,
    proposal_id: int | None = None,
    award_id: int | None = None,
    conclusion: str | None,
    rank: int | None = None,
    tallies: dict[str, int] | None = None,
    open_votes: dict[int, str] | None = None,
    conflicted: tuple[int, ...] = (),
    dissent: str = "",
    requested_changes: str = "",
    scores: dict[int, dict[str, int]] | None = None,
) -> MeetingItem:
    """A concluded item: secret-ballot `tallies` ({choice: votes}, with the voters registered)
    or `open_votes` ({seat index: choice}); `conflicted` seat indices left it; `scores` are
    submitted sheets ({seat index: {criterion key: score}})."""
    row = MeetingItem(
        meeting_id=sitting.meeting.id,
        position=rank or 0,
        proposal_id=proposal_id,
        award_id=award_id,
        status="concluded" if conclusion else "pending",
        conclusion=conclusion,
        council_rank=rank,
        dissent=dissent,
        requested_changes=requested_changes,
        concluded_at=datetime(2026, 11, 20, 4, 0, tzinfo=UTC) if conclusion else None,
    )
    session.add(row)
    session.flush()
    seats = sitting.seats
    session.add_all(
        ItemConflict(item_id=row.id, seat_id=seats[n].id, source="declared", reason="Đồng tác giả")
        for n in conflicted
    )
    voters = [s for n, s in enumerate(seats) if n not in conflicted and n != 6]
    for choice, votes in (tallies or {}).items():
        session.add(BallotTally(item_id=row.id, choice=choice, votes=votes))
    if tallies:
        session.add_all(
            VoteCast(item_id=row.id, seat_id=s.id) for s in voters[: sum(tallies.values())]
        )
    for n, choice in (open_votes or {}).items():
        session.add(OpenVote(item_id=row.id, seat_id=seats[n].id, choice=choice))
        session.add(VoteCast(item_id=row.id, seat_id=seats[n].id))
    for n, by_criterion in (scores or {}).items():
        session.add(
            RatingSheet(
                item_id=row.id,
                seat_id=seats[n].id,
                scores=json.dumps(by_criterion),
                status="submitted",
                submitted_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
            )
        )
    session.flush()
    return row


def signed_minutes(session: Session, sitting: Sitting, *, pdf: bytes = b"%PDF-1.7 test") -> Minutes:
    """A version of the minutes as if generated, signed by the chair and the secretary."""
    minutes = Minutes(
        meeting_id=sitting.meeting.id,
        version=1,
        language="vi",
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        created_by=sitting.secretary.id,
    )
    session.add(minutes)
    session.flush()
    session.add_all(
        MinutesSignature(minutes_id=minutes.id, role=role, user_id=u.id, sha256=minutes.sha256)
        for role, u in (("chair", sitting.chair), ("secretary", sitting.secretary))
    )
    session.flush()
    return minutes


def fake_pdf(record, language: str) -> bytes:
    """A renderer for tests that do not read the document back."""
    return f"%PDF {language} {record!r}".encode()
