"""PostgreSQL privileges for an application role that does not own the tables.

The owner (who runs the migrations) can disable triggers and truncate; the role the portal
connects as must not. It gets read-write on the tables, append-only on the audit log, and
read-only on Alembic's version table.
"""

import re

from sqlalchemy import Connection, inspect, text

APPEND_ONLY = frozenset({"audit_entry"})
READ_ONLY = frozenset({"alembic_version"})
# Only the owner's SECURITY DEFINER functions touch it (migration 0038): a row the portal
# could write there would be run as the owner by portfolio_line_bulk_end()
NO_ACCESS = frozenset({"portfolio_line_bulk"})
# What those functions let the portal do: drop and re-create the ledger's keys, nothing else
FUNCTIONS = ("portfolio_line_bulk_begin()", "portfolio_line_bulk_end()")
_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class RoleError(ValueError):
    """A role that cannot be granted the application's privileges safely."""


def table_privileges(table: str) -> str | None:
    """What the application role may do with this table (None: nothing)."""
    if table in NO_ACCESS:
        return None
    if table in APPEND_ONLY:
        return "SELECT, INSERT"
    if table in READ_ONLY:
        return "SELECT"
    return "SELECT, INSERT, UPDATE, DELETE"


def grant_statements(role: str, tables: list[str], schema: str = "public") -> list[str]:
    """REVOKE then GRANT per table (so running it again removes what is no longer due)."""
    if not _ROLE.fullmatch(role):
        raise RoleError(f"not a plain lower-case role name: {role!r}")
    to, ns = _quote(role), _quote(schema)
    statements = [f"GRANT USAGE ON SCHEMA {ns} TO {to}"]
    for table in sorted(tables):
        name = f"{ns}.{_quote(table)}"
        statements.append(f"REVOKE ALL ON TABLE {name} FROM {to}")
        privileges = table_privileges(table)
        if privileges:
            statements.append(f"GRANT {privileges} ON TABLE {name} TO {to}")
    statements.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {ns} TO {to}")
    if "portfolio_line_bulk" in tables:
        statements += [f"GRANT EXECUTE ON FUNCTION {ns}.{f} TO {to}" for f in FUNCTIONS]
    return statements


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def grant_app_role(connection: Connection, role: str) -> list[str]:
    """Grant `role` the portal's privileges on every table; run as the tables' owner."""
    if connection.dialect.name != "postgresql":
        raise RoleError("database roles exist only on PostgreSQL")
    checks = connection.execute(
        text(
            "SELECT r.rolsuper, current_schema(), "
            "EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = current_schema() "
            "        AND t.tableowner = r.rolname) "
            "FROM pg_roles r WHERE r.rolname = :role"
        ),
        {"role": role},
    ).one_or_none()
    if checks is None:
        raise RoleError(f"no such role: {role}")
    superuser, schema, owns_tables = checks
    if superuser or owns_tables:
        raise RoleError(
            f"{role} is a superuser or owns tables: it could disable the audit "
            "log's triggers; use a role without either"
        )
    statements = grant_statements(role, inspect(connection).get_table_names(schema), schema)
    for statement in statements:
        connection.execute(text(statement))
    return statements
