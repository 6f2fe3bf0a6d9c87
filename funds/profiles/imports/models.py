"""An uploaded publication file between its preview and the owner's confirmation."""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class PublicationImport(SQLModel, table=True):
    """The entries read from one file (JSON) and its errors by entry; confirmed once."""

    __tablename__ = "publication_import"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    filename: str = Field(max_length=255)
    format: str = Field(max_length=10)
    entries: str = Field(sa_type=Text)  # JSON list of funds.profiles.imports.rules.Entry
    errors: str = Field(sa_type=Text)  # JSON list of EntryError
    created_at: datetime = instant_field(now=True)
    confirmed_at: datetime | None = instant_field(nullable=True)
    added: int = Field(default=0)
