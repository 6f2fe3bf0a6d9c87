"""Importing the national task register: rows added or updated by code, audited."""

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed
from reviews.overlap.models import RegisterTask
from reviews.overlap.permissions import can_import_register
from reviews.overlap.register.rules import LineError, RegisterFile, parse_register


@dataclass(frozen=True)
class RegisterImport:
    added: int
    updated: int
    errors: list[LineError]


def import_register(session: Session, *, actor: User, data: bytes) -> RegisterImport:
    """Add the file's tasks and update those already known by code; rows with errors are
    left out and listed by line. Audited with the counts."""
    if not can_import_register(actor):
        raise NotAllowed(N_("Only managers and administrators import the national task register."))
    parsed: RegisterFile = parse_register(data)
    codes = [r.code for r in parsed.rows]
    known = _known(session, codes)
    now = utcnow()
    for row in parsed.rows:
        task = known.get(row.code) or RegisterTask(code=row.code, title=row.title)
        for name, value in vars(row).items():
            setattr(task, name, value)
        task.imported_at = now
        session.add(task)
    session.flush()
    result = RegisterImport(len(codes) - len(known), len(known), parsed.errors)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="task_register",
        object_id=0,
        action="import",
        detail=f"added={result.added} updated={result.updated} errors={len(parsed.errors)}",
    )
    return result


CHUNK = 500  # codes per IN list: SQLite caps the parameters of one statement


def _known(session: Session, codes: list[str]) -> dict[str, RegisterTask]:
    """The tasks already in the register, by code."""
    found: dict[str, RegisterTask] = {}
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start : start + CHUNK]
        rows = session.exec(select(RegisterTask).where(col(RegisterTask.code).in_(chunk)))
        found.update({t.code: t for t in rows.all()})
    return found


def register_size(session: Session) -> int:
    """How many tasks the register holds."""
    return session.exec(select(func.count()).select_from(RegisterTask)).one()
