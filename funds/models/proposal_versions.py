"""Submitted versions: immutable snapshots with their receipts."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class SubmissionStatus(StrEnum):
    CURRENT = "current"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class Submission(SQLModel, table=True):
    """One submitted version of a proposal; `snapshot` and `sha256` never change."""

    __table_args__ = (UniqueConstraint("proposal_id", "version_no"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    version_no: int
    receipt_no: str = Field(max_length=40, unique=True)
    snapshot: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    status: str = Field(default=SubmissionStatus.CURRENT, max_length=20)
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = instant_field(now=True)
    pdf_name: str | None = Field(default=None, max_length=100)
    receipt_mailed_at: datetime | None = instant_field(nullable=True)
