"""Invitations of external experts to the reviewer pool."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Invitation(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    name: str = Field(max_length=200)
    token_hash: str = Field(max_length=64, unique=True)  # SHA-256 of the e-mailed secret
    invited_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)
    accepted_at: datetime | None = instant_field(nullable=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
