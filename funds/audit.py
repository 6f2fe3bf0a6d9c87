"""Writing to the append-only audit log."""

from sqlalchemy import insert
from sqlmodel import Session

from funds.clock import utcnow
from funds.models.audit import AuditEntry


def record(
    session: Session,
    *,
    actor_id: int | None,
    object_type: str,
    object_id: int,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add one audit entry in the caller's transaction."""
    entry = AuditEntry(
        actor_id=actor_id,
        object_type=object_type,
        object_id=object_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        detail=detail[:4000],
    )
    session.add(entry)
    return entry


_INSERT = insert(AuditEntry.__table__)


def append(
    session: Session,
    *,
    actor_id: int | None,
    object_type: str,
    object_id: int,
    action: str,
    detail: str = "",
) -> None:
    """The same entry as record(), written by one INSERT without an ORM object: for the
    hot paths (autosave) that touch no other ORM state."""
    session.execute(_INSERT, {
        "at": utcnow(), "actor_id": actor_id, "object_type": object_type,
        "object_id": object_id, "action": action, "detail": detail[:4000]})
