"""Consent (Law 91/2025/QH15)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class ConsentKind(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class ConsentEvent(SQLModel, table=True):
    """One giving or withdrawal of consent, with the version of the privacy notice; kept
    after an erasure as the proof of what the person agreed to and when."""

    __tablename__ = "consent_event"
    __table_args__ = (
        CheckConstraint("kind IN ('given', 'withdrawn')", name="ck_consent_event_kind"),
    )

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=12)
    version: str = Field(max_length=20)
    source: str = Field(default="self", max_length=20)  # registration | self | erasure | admin
    at: datetime = instant_field(now=True)
