"""A call's rubric (criteria, weights, scale, thresholds) and per-criterion scores."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from funds.types import instant_field
from reviews.assignment.rules import REVIEWERS_PER_PROPOSAL


class Rubric(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", unique=True)
    total_threshold: int = Field(default=60)  # percent of the maximum weighted score
    show_others_after_submit: bool = Field(default=True)
    per_proposal: int = Field(default=REVIEWERS_PER_PROPOSAL)  # reviewers each, when assigning
    # blind review: reviewers never learn who applied (the PI, the team, the host)
    blind: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})


class Criterion(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("weight > 0", name="ck_criterion_weight"),
        CheckConstraint("scale_max >= 2 AND scale_max <= 100", name="ck_criterion_scale"),
        CheckConstraint("threshold >= 0 AND threshold <= scale_max", name="ck_criterion_threshold"),
    )

    id: int = Field(default=None, primary_key=True)
    rubric_id: int = Field(foreign_key="rubric.id", index=True)
    position: int = Field(default=0)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    weight: int = Field(default=1)
    scale_max: int = Field(default=5)
    threshold: int = Field(default=0)


class CriterionAnchor(SQLModel, table=True):
    """What one level of a criterion's scale means ("3: sound, with minor gaps"), in the
    fund's words: one text per level."""

    __tablename__ = "criterion_anchor"
    __table_args__ = (
        UniqueConstraint("criterion_id", "level"),
        CheckConstraint("level >= 0", name="ck_criterion_anchor_level"),
    )

    id: int = Field(default=None, primary_key=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    level: int
    text: str = Field(max_length=1000)


class CriterionScore(SQLModel, table=True):
    __tablename__ = "criterion_score"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        CheckConstraint("score IS NULL OR score >= 0", name="ck_cscore_min"),
    )

    id: int = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    criterion_id: int = Field(foreign_key="criterion.id")
    score: int | None = Field(default=None)
    comment: str = Field(default="", max_length=10000)


class ConsensusReport(SQLModel, table=True):
    """The council's or rapporteur's agreed view of a proposal, approved by the manager."""

    __tablename__ = "consensus_report"

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    text: str = Field(default="", max_length=20000)
    author_id: int = Field(foreign_key="user.id")
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = instant_field(nullable=True)


class FundingOverride(SQLModel, table=True):
    """A manager's departure from the funding line, with its reason."""

    __tablename__ = "funding_override"

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    include: bool
    reason: str = Field(max_length=2000)
    actor_id: int = Field(foreign_key="user.id")
    at: datetime = instant_field(now=True)
