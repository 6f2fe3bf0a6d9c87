"""The national task register (imported) and the pairs the overlap screening flags."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class OverlapDecision(StrEnum):
    DISTINCT = "distinct"
    OVERLAPPING = "overlapping"
    DUPLICATE = "duplicate"


class RegisterTask(SQLModel, table=True):
    """One task of the national S&T task register, as imported from its CSV (by code)."""

    __tablename__ = "register_task"

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    title: str = Field(max_length=500)
    title_en: str = Field(default="", max_length=500)
    summary: str = Field(default="", max_length=20000)
    keywords: str = Field(default="", max_length=500)
    host: str = Field(default="", max_length=300)
    pi_name: str = Field(default="", max_length=200)
    start_year: int | None = Field(default=None)
    end_year: int | None = Field(default=None)
    imported_at: datetime = instant_field(now=True)


class OverlapFlag(SQLModel, table=True):
    """A submitted proposal whose text is close to another proposal or a register task,
    with the manager's decision on it."""

    __tablename__ = "overlap_flag"
    __table_args__ = (
        UniqueConstraint("proposal_id", "other_proposal_id", name="uq_overlap_flag_proposal"),
        UniqueConstraint("proposal_id", "register_task_id", name="uq_overlap_flag_register"),
        CheckConstraint(
            "(other_proposal_id IS NULL) <> (register_task_id IS NULL)",
            name="ck_overlap_flag_one_other",
        ),
        CheckConstraint(
            f"decision IS NULL OR {one_of(OverlapDecision, 'decision')}",
            name="ck_overlap_flag_decision",
        ),
        CheckConstraint("score >= 0 AND score <= 1.0001", name="ck_overlap_flag_score"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    other_proposal_id: int | None = Field(default=None, foreign_key="proposal.id", index=True)
    register_task_id: int | None = Field(default=None, foreign_key="register_task.id", index=True)
    score: float  # a text similarity in [0, 1], not money: a float is fine
    threshold_pct: int  # the fund's threshold when the pair was found
    found_at: datetime = instant_field(now=True)
    decision: str | None = Field(default=None, max_length=12)
    note: str = Field(default="", max_length=2000)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = instant_field(nullable=True)
