"""The backup archive: one tar.gz holding the database dump, the stored files under `data/`,
and `manifest.json` (format version, Alembic revision, creation time, database kind, and the
SHA-256 and size of every other member). The manifest is written last, from the bytes
actually stored; reading unpacks everything into a staging folder and checks every member
against it before anything is restored."""

import hashlib
import io
import json
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data"
DATABASE_MEMBER = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be written or trusted; the message says why."""


@dataclass
class Manifest:
    format: int
    alembic_revision: list[str]
    created_at: str
    database: str  # "sqlite" or "postgresql"
    members: dict[str, dict] = field(default_factory=dict)  # name → {"sha256", "size"}

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBER[self.database]

    @property
    def file_count(self) -> int:
        return sum(1 for name in self.members if name.startswith(DATA + "/"))


class _Hashing:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, fh) -> None:
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.fh.read(size)
        self.digest.update(chunk)
        return chunk


def _add(tar: tarfile.TarFile, path: Path, name: str, manifest: Manifest) -> None:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as fh:
        hashing = _Hashing(fh)
        tar.addfile(info, hashing)
    manifest.members[name] = {"sha256": hashing.digest.hexdigest(), "size": info.size}


def write(dest: Path, *, database_file: Path, data_dir: Path, manifest: Manifest) -> Manifest:
    """Write the archive to `dest` (through a temporary name, so a failed backup never
    leaves a file that looks complete)."""
    partial = dest.with_name(dest.name + ".partial")
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add(tar, database_file, manifest.database_member, manifest)
            if data_dir.is_dir():
                for path in sorted(data_dir.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        name = f"{DATA}/{path.relative_to(data_dir).as_posix()}"
                        _add(tar, path, name, manifest)
            body = json.dumps(asdict(manifest), indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            tar.addfile(info, io.BytesIO(body))
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(f"unsafe member name in the archive: {name!r}")
    allowed = name == MANIFEST or name in DATABASE_MEMBER.values() or path.parts[0] == DATA
    if not allowed or (path.parts[0] == DATA and len(path.parts) < 2):
        raise ArchiveError(f"unexpected member in the archive: {name!r}")
    return path


def _extract(tar: tarfile.TarFile, staging: Path) -> dict[str, str]:
    """Unpack regular files only, hashing each; returns name → sha256."""
    digests: dict[str, str] = {}
    for member in tar:
        if not member.isfile():
            raise ArchiveError(f"the archive holds something other than a file: {member.name!r}")
        target = staging / _safe_name(member.name)
        if member.name in digests:
            raise ArchiveError(f"the archive holds {member.name!r} twice")
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        assert source is not None  # a regular file
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        digests[member.name] = digest.hexdigest()
    return digests


def read(src: Path, staging: Path) -> Manifest:
    """Unpack `src` into `staging` and check it whole: its manifest, and every member's
    checksum, with none missing and none extra."""
    try:
        with tarfile.open(src, "r:gz") as tar:
            digests = _extract(tar, staging)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"cannot read the archive: {exc}") from exc
    if MANIFEST not in digests:
        raise ArchiveError("the archive has no manifest")
    try:
        raw = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest(**raw)
    except (ValueError, TypeError) as exc:
        raise ArchiveError(f"the manifest cannot be read: {exc}") from exc
    if not isinstance(manifest.format, int) or manifest.format > FORMAT:
        raise ArchiveError(f"archive format {manifest.format} is newer than this code's {FORMAT}")
    if manifest.database not in DATABASE_MEMBER:
        raise ArchiveError(f"unknown database kind {manifest.database!r}")
    stored = {name: d for name, d in digests.items() if name != MANIFEST}
    listed = {name: m.get("sha256") for name, m in manifest.members.items()}
    if stored.keys() != listed.keys():
        missing, extra = listed.keys() - stored.keys(), stored.keys() - listed.keys()
        raise ArchiveError(
            f"members differ from the manifest: missing {sorted(missing)[:5]}, "
            f"not listed {sorted(extra)[:5]}"
        )
    bad = sorted(name for name in stored if stored[name] != listed[name])
    if bad:
        raise ArchiveError(f"checksum mismatch for {len(bad)} member(s): {bad[:5]}")
    if manifest.database_member not in stored:
        raise ArchiveError("the archive holds no database")
    return manifest
