"""Versions of a meeting's minutes and their sign-offs."""

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Minutes(SQLModel, table=True):
    """One version of the minutes in one language; a later change makes a new version and
    the old one is kept."""

    __table_args__ = (UniqueConstraint("meeting_id", "version", "language"),)

    id: int = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    version: int = Field(default=1)
    language: str = Field(default="vi", max_length=5)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class MinutesSignature(SQLModel, table=True):
    """The chair's or the secretary's sign-off of one version, with the hash they saw."""

    __tablename__ = "minutes_signature"
    __table_args__ = (UniqueConstraint("minutes_id", "role"),)

    id: int = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True)
    role: str = Field(max_length=16)  # chair | secretary
    user_id: int = Field(foreign_key="user.id")
    sha256: str = Field(max_length=64)
    signed_at: datetime = instant_field(now=True)
