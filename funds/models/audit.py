"""The append-only audit log: who changed what, when, from what to what."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = instant_field(now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    object_type: str = Field(max_length=40, index=True)
    object_id: int = Field(index=True)
    action: str = Field(max_length=60)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str | None = Field(default=None, max_length=40)
    detail: str = Field(default="", max_length=4000)
