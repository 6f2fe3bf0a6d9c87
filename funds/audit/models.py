"""The append-only audit log: who changed what, when, from what to what.

Entries form a hash chain (funds.audit.rules). On PostgreSQL a BEFORE INSERT trigger fills
`seq`, `prev_hash` and `entry_hash` under an advisory lock, so every insert is chained, Core
inserts included; on SQLite, a single writer, `chain_on_insert` below computes them.
"""

from datetime import datetime

from sqlalchemy import FetchedValue, event, text
from sqlmodel import Field, SQLModel

from funds.audit import rules as audit_chain
from funds.types import instant_field


def _chained(**kw):
    # FetchedValue: the ORM leaves a None out of the INSERT and reads the trigger's value
    # back (RETURNING) on PostgreSQL.
    return Field(
        default=None, nullable=False, sa_column_kwargs={"server_default": FetchedValue()}, **kw
    )


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int = Field(default=None, primary_key=True)
    at: datetime = instant_field(now=True, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    object_type: str = Field(max_length=40, index=True)
    object_id: int = Field(index=True)
    action: str = Field(max_length=60)
    from_state: str | None = Field(default=None, max_length=40)
    to_state: str | None = Field(default=None, max_length=40)
    detail: str = Field(default="", max_length=4000)
    seq: int | None = _chained(unique=True, index=True)
    prev_hash: str | None = _chained(max_length=64)
    entry_hash: str | None = _chained(max_length=64)


_HEAD = text("SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")


@event.listens_for(AuditEntry, "before_insert")
def chain_on_insert(_mapper, connection, entry: AuditEntry) -> None:
    """SQLite: chain the entry onto the last one; PostgreSQL's trigger does it there.

    All entries of a flush pass here before any is inserted, so the head is remembered on the
    connection for the rest of the same transaction (savepoint included) and read again in
    any other. Two writers that read the same head collide on the unique `seq`.
    """
    if connection.dialect.name == "postgresql":
        return
    context = (connection.get_transaction(), connection.get_nested_transaction())
    cached = connection.info.get("audit_chain_head")
    if cached is not None and cached[0] == context:
        seq, prev_hash = cached[1]
    else:
        seq, prev_hash = connection.execute(_HEAD).one_or_none() or (0, audit_chain.GENESIS)
    _normalise(entry)
    entry.seq, entry.prev_hash = seq + 1, prev_hash
    entry.entry_hash = audit_chain.entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        object_type=entry.object_type,
        object_id=entry.object_id,
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        detail=entry.detail,
        prev_hash=prev_hash,
    )
    connection.info["audit_chain_head"] = (context, (entry.seq, entry.entry_hash))


def _normalise(entry: AuditEntry) -> None:
    """Store exactly what is hashed: plain int and str values (a StrEnum state as its value)."""
    for name in ("actor_id", "object_id"):
        value = getattr(entry, name)
        setattr(entry, name, None if value is None else int(value))
    for name in ("object_type", "action", "from_state", "to_state", "detail"):
        value = getattr(entry, name)
        if isinstance(value, str):
            value = str.__str__(value)  # the text a driver stores, not an Enum's repr
        setattr(entry, name, None if value is None else str(value))
