"""Writing to the append-only audit log."""

from sqlmodel import Session

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
