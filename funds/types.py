"""Column types shared by the domain tables."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Table
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from funds.clock import to_utc, utcnow


class UTCDateTime(TypeDecorator):
    """An aware instant stored in UTC; SQLite's naive read-back is re-marked as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return to_utc(value)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (SQLModel sets `__table__` but does not declare it)."""
    return model.__table__  # type: ignore[attr-defined]


def money_field(*, nullable: bool = False, default: int | None = None, **kw):
    """An integer number of đồng; 64-bit so a national budget fits."""
    return Field(default=default, sa_type=BigInteger, nullable=nullable, **kw)


def instant_field(*, nullable: bool = False, now: bool = False, **kw):
    """A timezone-aware UTC instant; `now=True` fills it when the row is created."""
    if now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable, **kw)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, **kw)
