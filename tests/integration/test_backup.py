"""Backup and restore round trips on the test's database (SQLite or PostgreSQL): every row and
every stored file's bytes come back; damaged, newer or misplaced archives change nothing."""

import io
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from funds.audit.services import verify_log
from funds.proposals.models import Proposal, Submission
from portal.ops import archive

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def rows(url: str) -> dict[str, list[str]]:
    """Every row of every table (alembic_version included), in a stable order."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table: sorted(
                    repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{table}"'))
                )
                for table in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def wipe(app) -> None:
    """Lose the database and the stored files, as a dead disk would."""
    app.extensions["rdfund.engine"].dispose()
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(url.database + suffix).unlink(missing_ok=True)
    else:
        server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
        server.dispose()
    shutil.rmtree(app.config["INSTANCE_DATA"])


@pytest.fixture
def submitted(client, make, session):
    """A submitted proposal with a PDF attachment, its receipt PDF and e-mail written."""
    pi = make.user("applicant", email="pi@example.org")
    p = make.proposal(pi=pi, call=make.call(attachment_max_mb=1))
    client.login("pi@example.org")
    r = client.post_form(
        f"/proposals/{p.id}/attachments",
        {"kind": "description", "file": (io.BytesIO(PDF), "đề cương.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    attachment_id = int(re.search(r'/attachments/(\d+)"', r.get_data(as_text=True)).group(1))
    session.expire_all()
    version = session.get(Proposal, p.id).version_id
    client.post_form(f"/proposals/{p.id}/submit", {"confirm": "yes", "version_id": str(version)})
    assert len(session.exec(select(Submission)).all()) == 1
    client.logout()
    session.close()  # a restore replaces tables: no connection of the test may hold them
    return attachment_id


def backup(runner, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    result = runner.invoke(args=["backup", str(folder)])
    assert result.exit_code == 0, result.output
    (made,) = folder.glob("rdfund-*.tar.gz")
    assert f"Backup written to {made}" in result.output
    return made


def test_backup_wipe_restore_gives_back_every_row_and_file(
    app, client, runner, submitted, tmp_path
):
    data = Path(app.config["INSTANCE_DATA"])
    rows_before, files_before = rows(app.config["DATABASE_URL"]), files(data)
    assert PDF in files_before.values()
    assert any(name.startswith("receipts/") for name in files_before)
    made = backup(runner, tmp_path / "backups")

    wipe(app)
    result = runner.invoke(args=["restore", str(made)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert "db-upgrade" not in result.output  # same revision as the code

    assert rows(app.config["DATABASE_URL"]) == rows_before
    assert files(data) == files_before
    engine = create_engine(app.config["DATABASE_URL"])
    with Session(engine) as s:
        assert verify_log(s).intact
    engine.dispose()
    client.login("pi@example.org")
    download = client.get(f"/attachments/{submitted}")
    assert download.data == PDF
    download.close()


def test_the_manifest_lists_revision_time_and_checksums(app, runner, tmp_path):
    made = backup(runner, tmp_path / "backups")
    manifest = archive.read(made, tmp_path / "staging")
    assert manifest.format == archive.FORMAT
    assert manifest.database == make_url(app.config["DATABASE_URL"]).get_backend_name()
    assert len(manifest.alembic_revision) == 1
    assert manifest.created_at.endswith("+00:00")
    assert all(re.fullmatch("[0-9a-f]{64}", m["sha256"]) for m in manifest.members.values())
    again = runner.invoke(args=["backup", str(made)])
    assert again.exit_code != 0
    assert "backups never overwrite one" in again.output
    nowhere = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "x.tar.gz")])
    assert nowhere.exit_code != 0
    assert "no folder" in nowhere.output


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    app, runner, submitted, tmp_path
):
    before = rows(app.config["DATABASE_URL"])
    made = backup(runner, tmp_path / "backups")
    refused = runner.invoke(args=["restore", str(made)])
    assert refused.exit_code != 0
    assert "the database is not empty" in refused.output
    forced = runner.invoke(args=["restore", str(made), "--force"])
    assert forced.exit_code == 0, forced.output
    assert rows(app.config["DATABASE_URL"]) == before


def _rewritten(made: Path, out: Path, change) -> Path:
    """A copy of the archive with `change(name, bytes)` applied to each member."""
    with tarfile.open(made, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src:
            body = change(member.name, src.extractfile(member).read())
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    return out


def _damage_one_file(name: str, body: bytes) -> bytes:
    return body.replace(b"%%EOF", b"%%EOG") if name.startswith("data/files/") else body


def _newer_revision(name: str, body: bytes) -> bytes:
    if name != archive.MANIFEST:
        return body
    return re.sub(rb'"alembic_revision": \[[^\]]*\]', b'"alembic_revision": ["ffff0000"]', body)


@pytest.mark.parametrize(
    "change, reason",
    [
        (_damage_one_file, "checksum mismatch for 1 member(s): ['data/files/"),
        (_newer_revision, "schema revision ffff0000 is newer than this code"),
    ],
)
def test_restore_refuses_a_damaged_or_newer_archive_and_changes_nothing(
    app, runner, submitted, tmp_path, change, reason
):
    data = Path(app.config["INSTANCE_DATA"])
    rows_before, files_before = rows(app.config["DATABASE_URL"]), files(data)
    made = backup(runner, tmp_path / "backups")
    bad = _rewritten(made, tmp_path / "bad.tar.gz", change)
    result = runner.invoke(args=["restore", str(bad), "--force"])
    assert result.exit_code != 0
    assert "restore refused, nothing changed" in result.output
    assert reason in result.output
    assert rows(app.config["DATABASE_URL"]) == rows_before
    assert files(data) == files_before
    assert not list(data.parent.glob(".rdfund-restore-*"))  # the staging folder is gone
