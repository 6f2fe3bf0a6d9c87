"""Audit log integrity: the `audit-verify` and `db-grant` commands."""

from flask import Flask


def register(app: Flask) -> None:
    from portal.audit.cli import audit_verify_command, db_grant_command

    app.cli.add_command(audit_verify_command)
    app.cli.add_command(db_grant_command)
