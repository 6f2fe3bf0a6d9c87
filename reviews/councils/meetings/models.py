"""A council meeting, its agenda items, attendance, member conflicts and rating sheets."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class MeetingMode(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    MIXED = "mixed"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"  # attendance taken, items deliberated
    CLOSED = "closed"
    CANCELLED = "cancelled"


class ItemStatus(StrEnum):
    PENDING = "pending"
    DELIBERATING = "deliberating"  # sheets being filled and discussed
    VOTING = "voting"
    CONCLUDED = "concluded"


class Recommendation(StrEnum):
    """What a council concludes on an item, by the kind of council."""

    SELECT = "select"
    SELECT_WITH_CHANGES = "select_with_changes"
    DO_NOT_SELECT = "do_not_select"
    EXCELLENT = "excellent"
    PASS = "pass"
    FAIL = "fail"
    CONTINUE = "continue"
    ADJUST = "adjust"
    STOP = "stop"
    NO_CONCLUSION = "no_conclusion"  # the pass rule was not reached (or a tie)


class Meeting(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(one_of(MeetingStatus), name="ck_meeting_status"),
        CheckConstraint(one_of(MeetingMode, "mode"), name="ck_meeting_mode"),
    )

    id: int = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    starts_at: datetime = instant_field()
    mode: str = Field(default=MeetingMode.IN_PERSON, max_length=12)
    place: str = Field(default="", max_length=300)
    link: str = Field(default="", max_length=500)
    status: str = Field(default=MeetingStatus.SCHEDULED, max_length=12)
    opened_at: datetime | None = instant_field(nullable=True)
    closed_at: datetime | None = instant_field(nullable=True)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class MeetingItem(SQLModel, table=True):
    """One proposal (selection) or project (mid-term, acceptance) on a meeting's agenda."""

    __tablename__ = "meeting_item"
    __table_args__ = (
        UniqueConstraint("meeting_id", "proposal_id"),
        UniqueConstraint("meeting_id", "award_id"),
        CheckConstraint(one_of(ItemStatus), name="ck_meeting_item_status"),
        CheckConstraint(
            "conclusion IS NULL OR " + one_of(Recommendation, "conclusion"),
            name="ck_meeting_item_conclusion",
        ),
        CheckConstraint(
            "(proposal_id IS NULL) <> (award_id IS NULL)", name="ck_meeting_item_subject"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int = Field(default=0)
    proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    award_id: int | None = Field(default=None, foreign_key="award.id", index=True)
    status: str = Field(default=ItemStatus.PENDING, max_length=14)
    conclusion: str | None = Field(default=None, max_length=24)
    requested_changes: str = Field(default="", max_length=5000)
    dissent: str = Field(default="", max_length=5000)  # dissenting opinions, for the minutes
    notes: str = Field(default="", max_length=10000)
    council_rank: int | None = Field(default=None)
    # The criteria its sheets are scored on, fixed when the first sheet is saved (JSON; ""
    # until then): a later change of the fund's criteria or the call's rubric never
    # changes what a sheet's scores mean (docs/councils.md, "Rating sheets").
    sheet_criteria: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    concluded_at: datetime | None = instant_field(nullable=True)


class Attendance(SQLModel, table=True):
    """Whether a member is present, as the secretary records it."""

    __table_args__ = (UniqueConstraint("meeting_id", "seat_id"),)

    id: int = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    seat_id: int = Field(foreign_key="council_seat.id", index=True)
    present: bool = Field(default=False)
    how: str = Field(default="", max_length=12)  # in_person | online
    recorded_by: int = Field(foreign_key="user.id")
    recorded_at: datetime = instant_field(now=True)


class ItemConflict(SQLModel, table=True):
    """A member who leaves an item's deliberation and vote: found automatically or declared."""

    __tablename__ = "item_conflict"
    __table_args__ = (UniqueConstraint("item_id", "seat_id"),)

    id: int = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    seat_id: int = Field(foreign_key="council_seat.id", index=True)
    source: str = Field(max_length=10)  # automatic | declared
    reason: str = Field(default="", max_length=1000)
    recorded_at: datetime = instant_field(now=True)


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class RatingSheet(SQLModel, table=True):
    """A member's individual rating sheet (phiếu đánh giá) on one item: scores on the
    call's rubric (or, for acceptance, the fund's criteria and each contracted quality
    indicator), a written opinion; autosaved, submitted once."""

    __tablename__ = "rating_sheet"
    __table_args__ = (
        UniqueConstraint("item_id", "seat_id"),
        CheckConstraint(one_of(SheetStatus), name="ck_rating_sheet_status"),
    )

    id: int = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    seat_id: int = Field(foreign_key="council_seat.id", index=True)
    scores: str = Field(default="{}", max_length=4000)  # {"criterion id": score}
    indicator_checks: str = Field(default="{}", max_length=4000)  # acceptance: met / measured
    opinion: str = Field(default="", max_length=20000)
    status: str = Field(default=SheetStatus.DRAFT, max_length=10)
    version_id: int = Field(default=1)
    submitted_at: datetime | None = instant_field(nullable=True)
    updated_at: datetime = instant_field(now=True)
