"""Backup and restore of the database and the stored files together (docs/operations.md)."""

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from funds.clock import utcnow
from portal.ops import archive, databases


class RestoreRefused(Exception):
    """The restore would be unsafe; nothing was changed."""


@dataclass(frozen=True)
class Migrations:
    """What the code knows of the schema: every revision and the current head(s)."""

    known: frozenset[str]
    heads: frozenset[str]


def archive_name(now: datetime) -> str:
    return f"rdfund-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def create(
    url: str, data_dir: Path, dest: Path, *, now: datetime | None = None
) -> tuple[Path, archive.Manifest]:
    """Dump the database, then pack it with every stored file into `dest` (a file, or a folder
    that gets a timestamped name). The database is read first, so every file it names is
    in the archive (files added meanwhile come along unused)."""
    now = now or utcnow()
    if dest.is_dir():
        dest = dest / archive_name(now)
    if dest.exists():
        raise FileExistsError(f"{dest} exists; backups never overwrite one")
    if not dest.parent.is_dir():
        raise FileNotFoundError(f"no folder {dest.parent} to write the backup in")
    dialect = databases.kind(url)
    manifest = archive.Manifest(
        format=archive.FORMAT,
        alembic_revision=databases.revisions(url),
        created_at=now.astimezone(UTC).isoformat(timespec="seconds"),
        database=dialect,
    )
    with tempfile.TemporaryDirectory(prefix="rdfund-backup-", dir=dest.parent) as tmp:
        dumped = Path(tmp) / manifest.database_member
        databases.dump(url, dumped)
        archive.write(dest, database_file=dumped, data_dir=data_dir, manifest=manifest)
    return dest, manifest


def _check_revision(manifest: archive.Manifest, migrations: Migrations) -> None:
    unknown = sorted(set(manifest.alembic_revision) - migrations.known)
    if unknown:
        raise RestoreRefused(
            f"the archive's schema revision {', '.join(unknown)} is newer than this code "
            "(or from another branch): restore it with the version of rdfund that made it"
        )


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def restore(
    url: str, data_dir: Path, src: Path, *, migrations: Migrations, force: bool = False
) -> archive.Manifest:
    """Check the archive whole, then load its database and put its files in place. Refuses
    (changing nothing) a damaged archive, a newer schema, another database kind, or a
    database or files folder that is not empty unless `force`."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".rdfund-restore-", dir=data_dir.parent))
    try:
        manifest = archive.read(src, staging)
        _check_revision(manifest, migrations)
        if manifest.database != databases.kind(url):
            raise RestoreRefused(
                f"the archive holds a {manifest.database} database; this portal uses "
                f"{databases.kind(url)}"
            )
        if not force and not databases.is_empty(url):
            raise RestoreRefused("the database is not empty (use --force to replace it)")
        if not force and _has_files(data_dir):
            raise RestoreRefused(f"{data_dir} holds files (use --force to replace them)")
        databases.load(url, staging / manifest.database_member, replace=force)
        _swap_in(staging / archive.DATA, data_dir)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(restored: Path, data_dir: Path) -> None:
    """Replace the files folder by the restored one (renames on one file system)."""
    restored.mkdir(exist_ok=True)
    old = None
    if data_dir.exists():
        old = data_dir.with_name(f".{data_dir.name}.replaced")
        shutil.rmtree(old, ignore_errors=True)
        data_dir.replace(old)
    restored.replace(data_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def needs_upgrade(manifest: archive.Manifest, migrations: Migrations) -> bool:
    return set(manifest.alembic_revision) != set(migrations.heads)
