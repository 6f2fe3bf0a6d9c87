"""Commands: verify the audit log's hash chain; grant a non-owner role the portal's rights."""

import sys

import click
from flask.cli import with_appcontext

from funds.audit import verify_log
from funds.db_roles import RoleError, grant_app_role
from portal import db


@click.command("audit-verify")
@click.option(
    "--expect-count",
    type=click.IntRange(min=0),
    default=None,
    help="Entry count recorded earlier (an anchor kept outside the database).",
)
@click.option(
    "--expect-last",
    default=None,
    metavar="HASH",
    help="The last hash recorded earlier, at --expect-count if given.",
)
@with_appcontext
def audit_verify_command(expect_count, expect_last):
    """Walk the audit log's hash chain; exit 1 at the first broken link.

    Removing entries from the end leaves a valid shorter chain: record the printed count and
    last hash somewhere else, and pass them back here to detect that.
    """
    report = verify_log(db.session(), expect_count=expect_count, expect_last=expect_last)
    if report.intact:
        click.echo(f"Audit chain intact: {report.count} entries, last hash {report.last_hash}")
        return
    broken = report.broken
    where = "the anchor" if broken.seq is None else f"seq {broken.seq} (id {broken.id})"
    click.echo(
        f"Audit chain BROKEN at {where}: {broken.kind}: {broken.message}. "
        f"{report.count} entries verified before it, last good hash {report.last_hash}",
        err=True,
    )
    sys.exit(1)


@click.command("db-grant")
@click.option("--role", required=True, help="The role the portal connects as (not the owner).")
@with_appcontext
def db_grant_command(role):
    """Grant a non-owner role the portal's privileges (run as the owner, after db-upgrade)."""
    try:
        with db.engine().begin() as conn:
            statements = grant_app_role(conn, role)
    except RoleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("\n".join(statements))
    click.echo(f"Granted: {role} may read and write the tables, and only append to audit_entry.")
