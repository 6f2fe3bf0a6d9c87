"""The audit log's hash chain: the canonical form of an entry, its hash, and verification.

Each entry carries `seq` (its gapless position), `prev_hash` (the previous entry's hash, or
GENESIS) and `entry_hash` = hex SHA-256 of `canonical(...)`. Editing, deleting or inserting an
entry in the middle breaks a link that `verify_chain` finds; removing entries from the end is
visible only against an anchor recorded earlier (a count and the hash at that count).

The canonical form is written once here and mirrored in SQL by the PostgreSQL trigger
(migrations/versions/20261201_0009_audit_chain.py, `audit_entry_canonical`); a test checks
that both agree. Each field is length-prefixed (`<code points>:<text>`), NULL is `~`, so no
value can imitate a separator and NULL differs from the empty string. Instants are integer
microseconds since the Unix epoch, exact on both sides.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FORMAT = "rdfund-audit-v1"
GENESIS = "0" * 64
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The key of pg_advisory_xact_lock that serialises appends on PostgreSQL (any fixed bigint;
# this one spells "rdaudit" in ASCII), mirrored in the migration.
CHAIN_LOCK_KEY = 0x72646175646974


def micros(at: datetime) -> int:
    """An aware instant as integer microseconds since the Unix epoch."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("naive datetime: audit instants must carry a time zone")
    return (at - EPOCH) // timedelta(microseconds=1)


def _field(value: int | str | None) -> str:
    if value is None:
        return "~"
    text = str(value)
    return f"{len(text)}:{text}"


def canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    object_type: str,
    object_id: int,
    action: str,
    from_state: str | None,
    to_state: str | None,
    detail: str | None,
    prev_hash: str,
) -> str:
    """The text that is hashed: the format tag, then every content field, length-prefixed."""
    values = (
        FORMAT,
        seq,
        micros(at),
        actor_id,
        object_type,
        object_id,
        action,
        from_state,
        to_state,
        detail,
        prev_hash,
    )
    return "".join(_field(v) for v in values)


def entry_hash(**fields) -> str:
    """Hex SHA-256 of the entry's canonical form (keyword arguments as for `canonical`)."""
    return hashlib.sha256(canonical(**fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One stored entry, as read back for verification."""

    id: int
    seq: int
    at: datetime
    actor_id: int | None
    object_type: str
    object_id: int
    action: str
    from_state: str | None
    to_state: str | None
    detail: str | None
    prev_hash: str
    entry_hash: str

    def recomputed_hash(self) -> str:
        return entry_hash(
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            object_type=self.object_type,
            object_id=self.object_id,
            action=self.action,
            from_state=self.from_state,
            to_state=self.to_state,
            detail=self.detail,
            prev_hash=self.prev_hash,
        )


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link: where, what kind (edited, missing, reordered, anchor), why."""

    seq: int | None
    id: int | None
    kind: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The verdict: how many entries were checked, the last good hash, the first break."""

    count: int
    last_hash: str
    broken: ChainBreak | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def check_link(
    row: ChainRow, expected_seq: int, prev_hash: str, seq_of_hash: Callable[[str], int | None]
) -> ChainBreak | None:
    """What is wrong with this entry as the successor of (expected_seq - 1, prev_hash)."""
    if row.seq > expected_seq:
        first = "" if row.seq == expected_seq + 1 else f"..{row.seq - 1}"
        return ChainBreak(
            row.seq, row.id, "missing", f"entries with seq {expected_seq}{first} are missing"
        )
    if row.seq < expected_seq:
        return ChainBreak(
            row.seq,
            row.id,
            "reordered",
            f"seq {row.seq} appears where seq {expected_seq} was expected",
        )
    if row.recomputed_hash() != row.entry_hash:
        return ChainBreak(
            row.seq, row.id, "edited", "its content does not match its stored hash (edited content)"
        )
    if row.prev_hash != prev_hash:
        elsewhere = seq_of_hash(row.prev_hash)
        if elsewhere is not None:
            return ChainBreak(
                row.seq,
                row.id,
                "reordered",
                f"it links to seq {elsewhere} instead of seq {row.seq - 1}",
            )
        return ChainBreak(
            row.seq,
            row.id,
            "missing",
            "its predecessor is not in the log (a missing or replaced entry)",
        )
    return None


def verify_chain(
    rows: Iterable[ChainRow],
    *,
    seq_of_hash: Callable[[str], int | None],
    expect_count: int | None = None,
    expect_last: str | None = None,
) -> ChainReport:
    """Walk the entries in seq order, recompute each hash and stop at the first broken link.

    `seq_of_hash` finds the entry holding a hash (asked only at a break, to tell a reordering
    from a gap). The optional anchor (`expect_count`, `expect_last`) was recorded earlier:
    the chain must still reach that count and, there or anywhere if no count is given, that
    hash; this is the only way to notice entries removed from the end.
    """
    expect_last = expect_last.lower() if expect_last is not None else None
    count, last = 0, GENESIS
    anchor_seq = 0 if expect_last == GENESIS else None
    for row in rows:
        broken = check_link(row, count + 1, last, seq_of_hash)
        if broken is not None:
            return ChainReport(count, last, broken)
        count, last = row.seq, row.entry_hash
        if expect_last is not None and row.entry_hash == expect_last:
            anchor_seq = row.seq
    return ChainReport(count, last, check_anchor(count, anchor_seq, expect_count, expect_last))


def check_anchor(
    count: int, anchor_seq: int | None, expect_count: int | None, expect_last: str | None
) -> ChainBreak | None:
    """Does an intact chain of `count` entries still contain the recorded anchor?"""
    if expect_count is not None and count < expect_count:
        return ChainBreak(
            None,
            None,
            "missing",
            f"the log has {count} entries but {expect_count} were recorded: "
            "entries were removed from the end",
        )
    if expect_last is None:
        return None
    if anchor_seq is None:
        return ChainBreak(
            None,
            None,
            "missing",
            "the recorded last hash is not in the chain: entries were removed "
            "from the end or the log was rewritten",
        )
    if expect_count is not None and anchor_seq != expect_count:
        return ChainBreak(
            anchor_seq,
            None,
            "reordered",
            f"the recorded last hash is at seq {anchor_seq}, not {expect_count}",
        )
    return None
