"""A fund decision citing a council meeting and its minutes, line by line."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class CouncilDecision(SQLModel, table=True):
    """The fund's decision on a council's recommendations (selection, mid-term, acceptance)."""

    __tablename__ = "council_decision"

    id: int = Field(default=None, primary_key=True)
    council_id: int = Field(foreign_key="council.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    minutes_id: int | None = Field(default=None, foreign_key="minutes.id")
    number: str = Field(default="", max_length=80)  # the decision's number
    decided_by: int = Field(foreign_key="user.id")
    decided_at: datetime = instant_field(now=True)
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sha256: str = Field(default="", max_length=64)


class CouncilDecisionLine(SQLModel, table=True):
    """One item of the decision: the council's recommendation and rank, the fund's outcome
    and, where they differ, the reason (required, shown in the decision document)."""

    __tablename__ = "council_decision_line"
    __table_args__ = (UniqueConstraint("decision_id", "item_id"),)

    id: int = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="council_decision.id", index=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    recommendation: str = Field(max_length=24)
    council_rank: int | None = Field(default=None)
    outcome: str = Field(max_length=24)
    departure_reason: str = Field(default="", max_length=2000)
