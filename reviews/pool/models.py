"""The reviewer pool: profiles, bids, conflicts, affinities and the manager's pair constraints."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class BidLevel(StrEnum):
    EAGER = "eager"
    WILLING = "willing"
    NOT_WILLING = "not_willing"


class ReviewerProfile(SQLModel, table=True):
    __tablename__ = "reviewer_profile"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    keywords: str = Field(default="", max_length=2000)  # ';'-separated
    areas: str = Field(default="", max_length=500)  # ','-separated strategic area codes
    languages: str = Field(default="vi,en", max_length=50)
    max_load: int = Field(default=6)
    available: bool = Field(default=True)
    confidentiality_accepted_at: datetime | None = instant_field(nullable=True)


class Bid(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    level: str = Field(max_length=12)


class ConflictDeclaration(SQLModel, table=True):
    """A reviewer's word on a proposal (after title and summary only), or a manager override."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    has_conflict: bool
    reason: str = Field(default="", max_length=2000)
    overridden_by: int | None = Field(default=None, foreign_key="user.id")
    declared_at: datetime = instant_field(now=True)


class AffinityScore(SQLModel, table=True):
    """Text affinity of a pair (not money: a float is fine); a manager may adjust it."""

    __tablename__ = "affinity_score"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    score: float = Field(default=0.0)
    adjusted: float | None = Field(default=None)


class PairConstraint(SQLModel, table=True):
    """A manager's pin (+1) or veto (-1) of a reviewer for a proposal."""

    __tablename__ = "pair_constraint"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    value: int
    reason: str = Field(default="", max_length=2000)
    created_by: int = Field(foreign_key="user.id")
