"""Importing publications from a file: upload and preview, then the owner confirms; audited."""

import json
from dataclasses import asdict, dataclass

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound
from funds.profiles.imports.errors import ImportRefused
from funds.profiles.imports.models import PublicationImport
from funds.profiles.imports.rules import (
    MAX_BYTES,
    Entry,
    EntryError,
    Planned,
    detect_format,
    parse_file,
    plan,
)
from funds.profiles.models import Publication
from funds.profiles.permissions import can_keep_profile


def read_file(filename: str, data: bytes) -> tuple[str, str]:
    """The file's format and text, or ImportRefused saying why it cannot be read."""
    if not data:
        raise ImportRefused(N_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(N_("The file is larger than %(mb)s MB."), mb=MAX_BYTES // 2**20)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(N_("The file is not UTF-8 text.")) from None
    fmt = detect_format(filename, text)
    if fmt is None:
        raise ImportRefused(N_("This is neither an ORCID JSON, a BibTeX nor a RIS file."))
    return fmt, text


def upload_publications(
    session: Session, *, actor: User, filename: str, data: bytes
) -> PublicationImport:
    """Read a file of publications and keep what it yields for the preview; audited."""
    if not can_keep_profile(actor):
        raise NotAllowed(N_("Only applicants and reviewers keep a profile."))
    fmt, text = read_file(filename, data)
    parsed = parse_file(fmt, text)
    row = PublicationImport(
        user_id=actor.id,
        filename=filename[:255],
        format=fmt,
        entries=json.dumps([asdict(e) for e in parsed.entries], ensure_ascii=False),
        errors=json.dumps([asdict(e) for e in parsed.errors], ensure_ascii=False),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="publication_import",
        object_id=row.id,
        action="upload",
        detail=f"{fmt}: {len(parsed.entries)} entries, {len(parsed.errors)} errors",
    )
    return row


@dataclass(frozen=True)
class Preview:
    upload: PublicationImport
    planned: list[Planned]
    errors: list[EntryError]

    @property
    def new_count(self) -> int:
        return sum(1 for p in self.planned if not p.duplicate)


def _existing(session: Session, user_id: int) -> list[tuple[str | None, str]]:
    rows = session.exec(
        select(Publication.doi, Publication.title).where(Publication.user_id == user_id)
    ).all()
    return [(d, t) for d, t in rows]


def preview_of(session: Session, *, actor: User, import_id: int) -> Preview:
    """What confirming would add and skip, against the profile as it is now."""
    row = session.get(PublicationImport, import_id)
    if row is None or row.user_id != actor.id:
        raise NotFound(N_("No such import."))
    entries = [Entry(**e) for e in json.loads(row.entries)]
    errors = [EntryError(**e) for e in json.loads(row.errors)]
    return Preview(row, plan(entries, _existing(session, actor.id)), errors)


def confirm_import(session: Session, *, actor: User, import_id: int) -> int:
    """Add the new entries to the owner's publications (duplicates skipped), once; audited.
    Returns how many were added."""
    preview = preview_of(session, actor=actor, import_id=import_id)
    row = preview.upload
    if row.confirmed_at is not None:
        return row.added
    new = [p.entry for p in preview.planned if not p.duplicate]
    for e in new:
        session.add(
            Publication(
                user_id=actor.id,
                title=e.title,
                authors=e.authors,
                year=e.year,
                venue=e.venue,
                doi=e.doi,
            )
        )
    row.confirmed_at, row.added = utcnow(), len(new)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="publication_import",
        object_id=row.id,
        action="confirm",
        detail=f"added={len(new)} skipped={len(preview.planned) - len(new)}",
    )
    return len(new)
