"""Command-line tasks: migrate, seed demo data, create the first admin."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import with_appcontext

from funds.clock import utcnow
from portal import edge

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    """Alembic's configuration for this database (migrations/ at the repository root)."""
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade_database(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)


@click.command("db-upgrade")
@with_appcontext
def db_upgrade_command():
    """Apply every migration to the configured database."""
    upgrade_database(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option()
def create_admin_command(email, name, password):
    """Create the first administrator account."""
    from funds.accounts.services import create_user

    with edge.transaction() as s:
        create_user(s, actor=None, email=email, name=name, password=password, roles=["admin"])
    click.echo(f"Administrator {email} created.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create demo accounts, a fund, an open and a closed call (development mode only)."""
    if not (current_app.config["DEV_MODE"] or current_app.config["TESTING"]):
        raise click.ClickException("seed-demo runs only in development mode (RDFUND_DEV=1).")
    from portal.demo import seed_demo

    with edge.transaction() as s:
        created = seed_demo(s, now=utcnow())
    click.echo("Demo data ready." if created else "Demo data already present.")


def init_app(app: Flask) -> None:
    for cmd in (db_upgrade_command, create_admin_command, seed_demo_command):
        app.cli.add_command(cmd)
