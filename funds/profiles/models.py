"""What we know of people beyond their account: publications, and proposal team members.

Shared by submission (the PI's profile, co-investigators) and review (conflicts of interest
from co-authorship and institutions).
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Publication(SQLModel, table=True):
    """A publication listed on a person's profile (authors as written, ';'-separated)."""

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=1000)
    authors: str = Field(default="", max_length=4000)
    year: int | None = Field(default=None)
    venue: str = Field(default="", max_length=500)
    doi: str | None = Field(default=None, max_length=200)
    created_at: datetime = instant_field(now=True)


class CoInvestigator(SQLModel, table=True):
    """A member of a proposal's team other than the PI; confirms participation by link."""

    __tablename__ = "co_investigator"
    __table_args__ = (
        UniqueConstraint("proposal_id", "email"),
        CheckConstraint("effort_pct >= 0 AND effort_pct <= 100", name="ck_coi_effort"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    institution: str = Field(default="", max_length=300)
    role: str = Field(default="", max_length=200)
    effort_pct: int = Field(default=0)
    confirm_token: str | None = Field(default=None, max_length=64, index=True)
    confirmed_at: datetime | None = instant_field(nullable=True)


class Profile(SQLModel, table=True):
    """The PI's profile beyond the account: a CV entered once, reused in every proposal."""

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True)
    title: str = Field(default="", max_length=100)
    position: str = Field(default="", max_length=200)
    cv: str = Field(default="", max_length=20000)
    updated_at: datetime = instant_field(now=True)
    # the host organisation (funds.hosts), named by reference; user.institution stays as typed
    host_id: int | None = Field(default=None, foreign_key="host.id", index=True)
