"""Writing to the append-only audit log, and verifying its hash chain."""

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from funds.audit.models import AuditEntry
from funds.audit.rules import ChainReport, ChainRow, verify_chain
from funds.types import table_of

_CHAIN_COLUMNS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "object_type",
    "object_id",
    "action",
    "from_state",
    "to_state",
    "detail",
    "prev_hash",
    "entry_hash",
)


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
    """Add one audit entry in the caller's transaction (chained when it is inserted)."""
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


def verify_log(
    session: Session, *, expect_count: int | None = None, expect_last: str | None = None
) -> ChainReport:
    """Check the whole chain in seq order, optionally against a recorded anchor."""
    return verify_chain(
        _chain_rows(session),
        seq_of_hash=lambda h: _seq_of_hash(session, h),
        expect_count=expect_count,
        expect_last=expect_last,
    )


def _chain_rows(session: Session) -> Iterator[ChainRow]:
    t = table_of(AuditEntry)
    stmt = (
        select(*(t.c[name] for name in _CHAIN_COLUMNS))
        .order_by(t.c.seq)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(stmt):
        yield ChainRow(**row._mapping)


def _seq_of_hash(session: Session, digest: str) -> int | None:
    t = table_of(AuditEntry)
    return session.execute(select(t.c.seq).where(t.c.entry_hash == digest)).scalar()
