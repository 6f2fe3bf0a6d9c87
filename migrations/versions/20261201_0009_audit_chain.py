"""audit log hash chain; append-only also against TRUNCATE

Revision ID: 0009_audit_chain
Revises: 0008_invitations
Create Date: 2026-12-01 09:00:00

Adds seq / prev_hash / entry_hash to audit_entry, chains the existing rows in id order, and
on PostgreSQL installs the BEFORE INSERT trigger that chains every new row under an advisory
lock, plus a BEFORE TRUNCATE trigger. The canonical form is duplicated from
funds/audit_chain.py (revisions never import application code); a test checks that the SQL
function, this copy's output and the application's agree.
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0009_audit_chain"
down_revision: str | Sequence[str] | None = "0008_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FORMAT = "rdfund-audit-v1"
GENESIS = "0" * 64
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CHAIN_LOCK_KEY = 32198517089134964  # funds.audit_chain.CHAIN_LOCK_KEY
CONTENT = (
    "at",
    "actor_id",
    "object_type",
    "object_id",
    "action",
    "from_state",
    "to_state",
    "detail",
)

PG_FUNCTIONS = [
    # Mirrors funds.audit_chain.canonical; extract(epoch …) is numeric from PostgreSQL 14 on,
    # so the microseconds are exact. PL/pgSQL rather than SQL: its plans are cached for the
    # session, where a non-inlined SQL function is planned again in every transaction.
    """CREATE FUNCTION audit_entry_canonical(
            seq bigint, at timestamptz, actor_id bigint, object_type text, object_id bigint,
            action text, from_state text, to_state text, detail text, prev_hash text)
        RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            field text;
            result text := '';
        BEGIN
            FOREACH field IN ARRAY ARRAY['rdfund-audit-v1', seq::text,
                    ((extract(epoch FROM at) * 1000000)::bigint)::text, actor_id::text,
                    object_type, object_id::text, action, from_state, to_state, detail,
                    prev_hash] LOOP
                result := result || coalesce(length(field)::text || ':' || field, '~');
            END LOOP;
            RETURN result;
        END $$""",
    # The advisory lock is held to commit: two transactions never chain onto the same entry.
    # Under READ COMMITTED (the portal's level) the SELECT after the lock sees the previous
    # holder's commit; a REPEATABLE READ transaction might not, and the unique index on seq
    # then refuses its insert instead of letting the chain fork.
    f"""CREATE FUNCTION audit_entry_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            last_seq integer;
            last_hash text;
        BEGIN
            PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
            SELECT a.seq, a.entry_hash INTO last_seq, last_hash
                FROM audit_entry a ORDER BY a.seq DESC LIMIT 1;
            NEW.seq := coalesce(last_seq, 0) + 1;
            NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
            NEW.entry_hash := encode(sha256(convert_to(audit_entry_canonical(
                NEW.seq, NEW.at, NEW.actor_id, NEW.object_type, NEW.object_id, NEW.action,
                NEW.from_state, NEW.to_state, NEW.detail, NEW.prev_hash), 'UTF8')), 'hex');
            RETURN NEW;
        END $$""",
    (
        "CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_chain()"
    ),
    (
        "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
    ),
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
    "DROP TRIGGER IF EXISTS audit_entry_chain ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_chain()",
    (
        "DROP FUNCTION IF EXISTS audit_entry_canonical(bigint, timestamptz, bigint, text, bigint, "
        "text, text, text, text, text)"
    ),
]


def _field(value) -> str:
    if value is None:
        return "~"
    text = str(value)
    return f"{len(text)}:{text}"


def canonical(seq: int, row, prev_hash: str) -> str:
    """A copy of funds.audit_chain.canonical (keep the two identical)."""
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    values = (
        FORMAT,
        seq,
        (at - EPOCH) // timedelta(microseconds=1),
        row.actor_id,
        row.object_type,
        row.object_id,
        row.action,
        row.from_state,
        row.to_state,
        row.detail,
        prev_hash,
    )
    return "".join(_field(v) for v in values)


def _audit_table():
    return sa.table(
        "audit_entry",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor_id", sa.Integer),
        sa.column("object_type", sa.String),
        sa.column("object_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("from_state", sa.String),
        sa.column("to_state", sa.String),
        sa.column("detail", sa.String),
        sa.column("seq", sa.Integer),
        sa.column("prev_hash", sa.String),
        sa.column("entry_hash", sa.String),
    )


def _backfill() -> None:
    """Chain the existing entries in id order."""
    bind, t = op.get_bind(), _audit_table()
    rows = bind.execute(sa.select(t.c.id, *(t.c[c] for c in CONTENT)).order_by(t.c.id)).all()
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        digest = hashlib.sha256(canonical(seq, row, prev).encode("utf-8")).hexdigest()
        bind.execute(
            t.update().where(t.c.id == row.id).values(seq=seq, prev_hash=prev, entry_hash=digest)
        )
        prev = digest


def _sqlite_append_only(create: bool) -> None:
    """SQLite's UPDATE/DELETE triggers from 0001 (a table rebuild in batch mode drops them)."""
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_entry_no_{verb.lower()}")
        if create:
            op.execute(
                f"CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} "
                "ON audit_entry BEGIN "
                "SELECT RAISE(ABORT, 'audit_entry is append-only'); END"
            )


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change")
    else:
        _sqlite_append_only(create=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        for name, type_ in (
            ("seq", sa.Integer()),
            ("prev_hash", sa.String(length=64)),
            ("entry_hash", sa.String(length=64)),
        ):
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_seq"), ["seq"], unique=True)
    if postgres:
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_change")
        for statement in PG_FUNCTIONS:
            op.execute(statement)
    else:
        _sqlite_append_only(create=True)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for statement in PG_DROP:
            op.execute(statement)
    else:
        _sqlite_append_only(create=False)
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_seq"))
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    if not postgres:
        _sqlite_append_only(create=True)
