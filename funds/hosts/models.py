"""Host organisations, the accounts that act for them, and their endorsements of proposals."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from funds.states import one_of
from funds.types import instant_field


class HostStatus(StrEnum):
    REQUESTED = "requested"  # asked for by an applicant, awaiting a manager
    IMPORTED = "imported"  # made by migration 0023 from free-text institutions, to be checked
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class EndorsementStatus(StrEnum):
    PENDING = "pending"
    ENDORSED = "endorsed"
    RETURNED = "returned"
    CANCELLED = "cancelled"  # the version was withdrawn or replaced before a decision


class Host(SQLModel, table=True):
    """A host organisation (tổ chức chủ trì), registered once and named by reference."""

    __table_args__ = (CheckConstraint(one_of(HostStatus), name="ck_host_status"),)

    id: int = Field(default=None, primary_key=True)
    name_vi: str = Field(max_length=300)
    name_en: str = Field(default="", max_length=300)
    folded_name: str = Field(max_length=300, index=True)  # funds.hosts.rules.fold_name
    tax_code: str | None = Field(default=None, max_length=14, unique=True)
    address: str = Field(default="", max_length=500)
    line_agency: str = Field(default="", max_length=300)  # cơ quan chủ quản
    representative_name: str = Field(default="", max_length=200)
    representative_title: str = Field(default="", max_length=200)
    finance_name: str = Field(default="", max_length=200)
    finance_email: str = Field(default="", max_length=254)
    finance_phone: str = Field(default="", max_length=30)
    status: str = Field(default=HostStatus.CONFIRMED, max_length=12, index=True)
    requested_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = instant_field(now=True)
    updated_at: datetime = instant_field(now=True)

    # who acts for it (funds.hosts.permissions.officer_of); loaded once per session
    officer_rows: list["HostOfficer"] = Relationship(
        sa_relationship_kwargs={"lazy": "select", "cascade": "all, delete-orphan"}
    )


class HostOfficer(SQLModel, table=True):
    """An account with the host_officer role acting for one organisation."""

    __tablename__ = "host_officer"
    __table_args__ = (UniqueConstraint("host_id", "user_id", name="uq_host_officer_pair"),)

    id: int = Field(default=None, primary_key=True)
    host_id: int = Field(foreign_key="host.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = instant_field(now=True)


class Endorsement(SQLModel, table=True):
    """The host's endorsement (xác nhận) of one submitted version of a proposal."""

    __table_args__ = (CheckConstraint(one_of(EndorsementStatus), name="ck_endorsement_status"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    submission_id: int = Field(foreign_key="submission.id", unique=True)
    host_id: int = Field(foreign_key="host.id", index=True)
    status: str = Field(default=EndorsementStatus.PENDING, max_length=12)
    due_at: datetime = instant_field()
    reason: str = Field(default="", max_length=2000)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(now=True)


class HostImportIssue(SQLModel, table=True):
    """A free-text institution that migration 0023 could not turn into an organisation."""

    __tablename__ = "host_import_issue"

    id: int = Field(default=None, primary_key=True)
    source: str = Field(max_length=20)  # user | co_investigator
    source_id: int
    text: str = Field(max_length=300)
    reason: str = Field(max_length=200)
    created_at: datetime = instant_field(now=True)
