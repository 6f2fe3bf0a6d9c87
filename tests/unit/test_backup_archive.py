"""The backup archive trusts nothing it reads; the PostgreSQL client is the server's."""

import io
import json
import tarfile
from pathlib import Path

import pytest

from portal.ops import archive, databases


def _tar(path: Path, members: dict[str, bytes], *, link: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return path


MANIFEST = json.dumps(
    {
        "format": 1,
        "alembic_revision": ["abc"],
        "created_at": "2026-12-01T00:00:00+00:00",
        "database": "sqlite",
        "members": {},
    }
).encode()


@pytest.mark.parametrize(
    "members, link, refusal",
    [
        ({"../escape": b"x", "manifest.json": MANIFEST}, None, "unsafe member name"),
        ({"/etc/cron.d/x": b"x"}, None, "unsafe member name"),
        ({"notes.txt": b"x"}, None, "unexpected member"),
        ({"manifest.json": MANIFEST}, "data/link", "something other than a file"),
        ({"database.sqlite": b"x"}, None, "has no manifest"),
        ({"database.sqlite": b"x", "manifest.json": MANIFEST}, None, "not listed ['database"),
        ({"manifest.json": b"{not json"}, None, "manifest cannot be read"),
        ({"manifest.json": MANIFEST.replace(b'"format": 1', b'"format": 2')}, None, "newer"),
    ],
)
def test_unsafe_or_inconsistent_archives_are_refused(tmp_path, members, link, refusal):
    made = _tar(tmp_path / "a.tar.gz", members, link=link)
    (tmp_path / "staging").mkdir()
    with pytest.raises(archive.ArchiveError, match=refusal.replace("[", r"\[")):
        archive.read(made, tmp_path / "staging")
    assert not (tmp_path / "escape").exists()


def test_a_file_that_is_not_gzip_is_refused(tmp_path):
    (tmp_path / "a.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(archive.ArchiveError, match="cannot read the archive"):
        archive.read(tmp_path / "a.tar.gz", tmp_path)


@pytest.mark.parametrize(
    "server, chosen",
    [(15, "15"), (14, "15"), (13, "13"), (17, None)],
)
def test_pg_dump_matches_the_server_or_is_newer(tmp_path, server, chosen):
    for version in ("13", "15", "16"):
        binary = tmp_path / version / "bin" / "pg_dump"
        binary.parent.mkdir(parents=True)
        binary.touch()
    if chosen is None:
        with pytest.raises(databases.DatabaseError, match="postgresql-client-17"):
            databases.pg_binary("pg_dump", server, root=tmp_path)
    else:
        assert databases.pg_binary("pg_dump", server, root=tmp_path) == (
            tmp_path / chosen / "bin" / "pg_dump"
        )


def test_the_password_goes_to_the_environment_not_the_command_line():
    uri, env = databases._libpq("postgresql+psycopg://rdfund:s3cret@db.example:5433/rdfund")
    assert uri == "postgresql://rdfund@db.example:5433/rdfund"
    assert env["PGPASSWORD"] == "s3cret"
