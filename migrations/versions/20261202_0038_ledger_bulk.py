"""ledger bulk: let the application role use PostgreSQL's bulk-load recipe on the ledger

Revision ID: 0038_ledger_bulk
Revises: 0037_import_speed
Create Date: 2026-12-02 03:00:00

A budget import of millions of ledger lines drops portfolio_line's unique key, foreign keys
and secondary indexes, writes set-based and re-creates them (docs/compliance.md, "Large
imports on PostgreSQL"). Only the table's owner may drop them; the portal connects as an
application role that owns nothing (docs/operations.md). Two SECURITY DEFINER functions,
owned by the owner and executable only by roles that db-grant names, do exactly this and
nothing else, inside the caller's transaction:

* portfolio_line_bulk_begin() locks the ledger, saves each definition (pg_get_constraintdef,
  pg_get_indexdef) in portfolio_line_bulk, a table the application role cannot read or
  write, and drops them;
* portfolio_line_bulk_end() re-creates them from the saved definitions, forgets them and
  analyses the ledger.

A deferred constraint trigger refuses to commit a transaction that began without ending, so
the ledger can never be left without its keys; a rollback restores everything. SQLite has
no such roles: there the table exists, unused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038_ledger_bulk"
down_revision: str | Sequence[str] | None = "0037_import_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _functions(schema: str) -> list[str]:
    path = f'SET search_path = "{schema}", pg_catalog, pg_temp'
    return [
        "CREATE FUNCTION portfolio_line_bulk_begin() RETURNS integer "
        f"LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        "DECLARE r record; n integer; "
        "BEGIN "
        "  IF EXISTS (SELECT 1 FROM portfolio_line_bulk WHERE txid = txid_current()) THEN "
        "    RAISE EXCEPTION 'portfolio_line_bulk_begin: already begun in this transaction'; "
        "  END IF; "
        "  LOCK TABLE portfolio_line IN ACCESS EXCLUSIVE MODE; "
        "  INSERT INTO portfolio_line_bulk (txid, position, kind, name, definition) "
        "  SELECT txid_current(), row_number() OVER (ORDER BY o, name), kind, name, d FROM ("
        "    SELECT 1 AS o, 'index' AS kind, c.relname::text AS name, "
        "           pg_get_indexdef(i.indexrelid) AS d "
        "    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "    WHERE i.indrelid = 'portfolio_line'::regclass AND NOT i.indisprimary "
        "      AND i.indexrelid NOT IN (SELECT conindid FROM pg_constraint "
        "                               WHERE conrelid = 'portfolio_line'::regclass) "
        "    UNION ALL "
        "    SELECT CASE contype WHEN 'u' THEN 2 ELSE 3 END, 'constraint', conname::text, "
        "           pg_get_constraintdef(oid) "
        "    FROM pg_constraint WHERE conrelid = 'portfolio_line'::regclass "
        "      AND contype IN ('u', 'f')) AS keys; "
        "  GET DIAGNOSTICS n = ROW_COUNT; "
        "  FOR r IN SELECT * FROM portfolio_line_bulk WHERE txid = txid_current() LOOP "
        "    IF r.kind = 'index' THEN EXECUTE format('DROP INDEX %I', r.name); "
        "    ELSE EXECUTE format('ALTER TABLE portfolio_line DROP CONSTRAINT %I', r.name); "
        "    END IF; "
        "  END LOOP; "
        "  RETURN n; "
        "END $$",
        "CREATE FUNCTION portfolio_line_bulk_end() RETURNS integer "
        f"LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        "DECLARE r record; n integer := 0; "
        "BEGIN "
        "  FOR r IN SELECT * FROM portfolio_line_bulk WHERE txid = txid_current() "
        "           ORDER BY position LOOP "
        "    IF r.kind = 'index' THEN EXECUTE r.definition; "
        "    ELSE EXECUTE format('ALTER TABLE portfolio_line ADD CONSTRAINT %I ', r.name) "
        "                 || r.definition; "
        "    END IF; "
        "    n := n + 1; "
        "  END LOOP; "
        "  DELETE FROM portfolio_line_bulk WHERE txid = txid_current(); "
        "  ANALYZE portfolio_line; "
        "  RETURN n; "
        "END $$",
        "CREATE FUNCTION portfolio_line_bulk_unfinished() RETURNS trigger "
        f"LANGUAGE plpgsql SECURITY DEFINER {path} AS $$ "
        "BEGIN "
        "  IF EXISTS (SELECT 1 FROM portfolio_line_bulk WHERE txid = NEW.txid) THEN "
        "    RAISE EXCEPTION 'the ledger''s keys were dropped and not re-created: "
        "call portfolio_line_bulk_end() before committing'; "
        "  END IF; "
        "  RETURN NULL; "
        "END $$",
        "CREATE CONSTRAINT TRIGGER portfolio_line_bulk_must_end "
        "AFTER INSERT ON portfolio_line_bulk DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION portfolio_line_bulk_unfinished()",
        "REVOKE ALL ON FUNCTION portfolio_line_bulk_begin() FROM PUBLIC",
        "REVOKE ALL ON FUNCTION portfolio_line_bulk_end() FROM PUBLIC",
    ]


def upgrade() -> None:
    op.create_table(
        "portfolio_line_bulk",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("txid", "position"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in _functions(schema):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER portfolio_line_bulk_must_end ON portfolio_line_bulk")
        op.execute("DROP FUNCTION portfolio_line_bulk_unfinished()")
        op.execute("DROP FUNCTION portfolio_line_bulk_end()")
        op.execute("DROP FUNCTION portfolio_line_bulk_begin()")
    op.drop_table("portfolio_line_bulk")
