"""Time for the domain: instants are timezone-aware UTC; people see Asia/Ho_Chi_Minh."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """The server's current instant, timezone-aware UTC (server time decides deadlines)."""
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Convert an aware instant to UTC; a naive one is refused, never guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: instants must carry a time zone")
    return value.astimezone(UTC)


def local_to_utc(value: datetime) -> datetime:
    """Read a wall-clock time typed in Vietnam (naive) as an instant in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """Show an instant in Asia/Ho_Chi_Minh."""
    return to_utc(value).astimezone(LOCAL_TZ)
