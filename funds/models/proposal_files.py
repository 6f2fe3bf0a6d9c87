"""Files attached to proposals, stored outside the web root under generated names."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    kind: str = Field(max_length=40)
    original_name: str = Field(max_length=255)
    stored_name: str = Field(max_length=100, unique=True)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    uploaded_by: int = Field(foreign_key="user.id")
    uploaded_at: datetime = instant_field(now=True)
