"""`flask backup DEST` and `flask restore SRC` (docs/operations.md)."""

from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.ops import archive, backup, databases


def code_migrations(url: str) -> backup.Migrations:
    from portal.cli import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    return backup.Migrations(
        known=frozenset(r.revision for r in script.walk_revisions()),
        heads=frozenset(script.get_heads()),
    )


def _places() -> tuple[str, Path]:
    from portal.tasks import data_dir

    app = current_app._get_current_object()
    return app.config["DATABASE_URL"], data_dir(app)


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Write the database and every stored file to one archive (DEST: a file, or a folder
    that gets rdfund-<UTC time>.tar.gz)."""
    url, data = _places()
    try:
        path, manifest = backup.create(url, data, dest)
    except (OSError, databases.DatabaseError, archive.ArchiveError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Backup written to {path}: {manifest.database} database at revision "
        f"{', '.join(manifest.alembic_revision) or 'none'}, {manifest.file_count} files."
    )


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database or files that are not empty.")
@with_appcontext
def restore_command(src: Path, force: bool):
    """Restore a backup archive: checked whole first; refuses a newer schema, and a database
    or files folder that is not empty unless --force. Stop the portal and workers first."""
    url, data = _places()
    current_app.extensions["rdfund.engine"].dispose()
    migrations = code_migrations(url)
    try:
        manifest = backup.restore(url, data, src, migrations=migrations, force=force)
    except (backup.RestoreRefused, archive.ArchiveError) as exc:
        raise click.ClickException(f"restore refused, nothing changed: {exc}") from exc
    except databases.DatabaseError as exc:
        raise click.ClickException(f"restore failed: {exc}") from exc
    click.echo(
        f"Restored {src} (made {manifest.created_at}): database and {manifest.file_count} files."
    )
    if backup.needs_upgrade(manifest, migrations):
        click.echo("The archive's schema is older than this code: run `flask db-upgrade` now.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
