"""A fund's publication setting, each funded project's stable public record, and the tokens
that open non-public data of the API."""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.projects.models import Award
from funds.proposals.models import Proposal
from funds.types import instant_field, table_of


class PublicationSetting(SQLModel, table=True):
    """Which optional project fields a fund publishes (funds.publication.rules.OPTIONAL_FIELDS);
    a fund without a row publishes the defaults."""

    __tablename__ = "publication_setting"

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", unique=True)
    public_fields: str = Field(default="", max_length=300)
    updated_at: datetime = instant_field(now=True)


class PublicProject(SQLModel, table=True):
    """The public face of one award: its stable identifier (never changes once given) and the
    folded texts the public search matches; the rest is read live from the award."""

    __tablename__ = "public_project"
    __table_args__ = (
        UniqueConstraint("fund_id", "year", "sequence", name="uq_public_project_sequence"),
        Index("ix_public_project_fund_order", "fund_id", "id"),
        Index("ix_public_project_year_order", "year", "id"),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", unique=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)  # the award's, for filters
    public_id: str = Field(max_length=80, unique=True)
    fund_id: int = Field(foreign_key="fund.id")
    year: int  # the contract's year, in the public identifier
    sequence: int
    search_text: str = Field(default="", max_length=2000)  # title, host, identifier, folded
    pi_text: str = Field(default="", max_length=300)  # the PI's name, folded (when public)
    created_at: datetime = instant_field(now=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for the API's non-public data of one fund, acting with one role; only
    its SHA-256 is stored (the token is shown once)."""

    __tablename__ = "api_token"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # the first characters, to tell tokens apart
    name: str = Field(max_length=120)
    owner_id: int = Field(foreign_key="user.id", index=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    role: str = Field(max_length=20)  # the role the token acts with: manager
    scope: str = Field(max_length=40)  # funds.publication.tokens SCOPES
    expires_at: datetime = instant_field()
    revoked_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(now=True)


# The public lists filter funded projects by area and status (bench/public_api.py: 100,000
# projects): indexes on the columns of other features' tables, declared here with the reason.
Index("ix_proposal_area_code", table_of(Proposal).c.area_code)
Index("ix_award_status", table_of(Award).c.status)
