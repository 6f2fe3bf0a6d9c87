"""flask public refresh: public identifiers for awards without one, search texts refreshed."""

import click
from flask.cli import with_appcontext

from funds.publication.services import publish_missing
from portal import edge


@click.group("public")
def public_command():
    """The public pages and open data."""


@public_command.command("refresh")
@with_appcontext
def refresh_command():
    """Give awards without a public identifier one, and refresh every search text."""
    with edge.transaction() as s:
        done = publish_missing(s)
    click.echo(f"{done} new public records")
