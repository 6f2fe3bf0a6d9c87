"""Reviewer assignments and reviews."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field

SCORE_MIN, SCORE_MAX = 1, 10


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    DECLINED = "declined"
    SUBMITTED = "submitted"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ReviewAssignment(SQLModel, table=True):
    __tablename__ = "review_assignment"
    __table_args__ = (
        UniqueConstraint("proposal_id", "reviewer_id"),
        CheckConstraint(one_of(AssignmentStatus), name="ck_review_assignment_status"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=AssignmentStatus.ASSIGNED, max_length=20)
    assigned_by: int = Field(foreign_key="user.id")
    assigned_at: datetime = instant_field(now=True)
    due_on: date | None = None  # the review is due (Vietnam date); reminders count from it


class Review(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(one_of(ReviewStatus), name="ck_review_status"),
        CheckConstraint(
            f"score IS NULL OR (score >= {SCORE_MIN} AND score <= {SCORE_MAX})",
            name="ck_review_score_range",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="review_assignment.id", unique=True)
    score: int | None = Field(default=None)
    total_bp: int | None = Field(default=None)  # rubric total in basis points of the maximum
    comment: str = Field(default="", max_length=20000)
    status: str = Field(default=ReviewStatus.DRAFT, max_length=20)
    updated_at: datetime = instant_field(now=True)
    submitted_at: datetime | None = instant_field(nullable=True)
    version_id: int = Field(default=1, nullable=False)

    @declared_attr
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version_id}  # type: ignore[attr-defined]
