"""Minutes (biên bản): each generation is a new version with its SHA-256 (old ones kept);
the chair and the secretary sign a version, recording the time and the hash they signed."""

import hashlib
from collections.abc import Callable

from sqlmodel import Session, func, select

from funds import audit
from funds.accounts.models import User
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.rules import Violation
from reviews.councils.meetings.queries import meeting_access
from reviews.councils.minutes.models import Minutes, MinutesSignature
from reviews.councils.minutes.permissions import (
    SIGNERS,
    can_generate_minutes,
    can_sign_minutes,
    meeting_closed,
)
from reviews.councils.minutes.queries import MinutesRecord, latest, minutes_record, signatures

LANGUAGES = ("vi", "en")  # Vietnamese is the minutes' language; English on request

# The portal renders the record to PDF bytes (portal/reports/pdf.py, the one render_pdf); the
# domain stores what it is given and hashes it.
Renderer = Callable[[MinutesRecord, str], bytes]


def generate_minutes(
    session: Session, *, actor: User, meeting_id: int, render: Renderer, language: str = "vi"
) -> Minutes:
    """Make a new version of the meeting's minutes in `language` from the meeting record,
    rendered by `render(record, language)`; earlier versions and their signatures stay."""
    access = meeting_access(session, actor=actor, meeting_id=meeting_id)
    if not meeting_closed(access.meeting):
        raise InvalidTransition(N_("The minutes are made once the meeting has closed."))
    if not can_generate_minutes(access.meeting, access.seat, actor, manages=access.manages):
        raise NotAllowed(
            N_("The fund's managers and the council's chair and secretary make the minutes.")
        )
    if language not in LANGUAGES:
        raise RuleViolation(
            N_("The minutes are made in Vietnamese or English."),
            [Violation("language", N_("Choose Vietnamese or English."))],
        )
    pdf = render(minutes_record(session, meeting_id), language)
    previous = session.exec(
        select(func.max(Minutes.version)).where(
            Minutes.meeting_id == meeting_id, Minutes.language == language
        )
    ).one()
    minutes = Minutes(
        meeting_id=meeting_id,
        version=(previous or 0) + 1,
        language=language,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        created_by=actor.id,
    )
    session.add(minutes)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="minutes",
        object_id=minutes.id,
        action="generate",
        to_state=f"v{minutes.version}",
        detail=f"meeting {meeting_id} {language} sha256={minutes.sha256}",
    )
    session.flush()
    return minutes


def sign_minutes(
    session: Session, *, actor: User, minutes_id: int, sha256: str | None = None
) -> MinutesSignature:
    """The chair or the secretary signs this version: the time and its SHA-256 are recorded.
    `sha256`, when given, is the hash the signer was shown; a different version is refused.
    A later version needs new signatures."""
    minutes = session.get(Minutes, minutes_id)
    if minutes is None:
        raise NotFound(N_("No such minutes."))
    access = meeting_access(session, actor=actor, meeting_id=minutes.meeting_id)
    newest = latest(session, minutes.meeting_id, minutes.language)
    signed = {s.role for s in signatures(session, [minutes.id])[minutes.id]}
    is_latest = newest is not None and newest.id == minutes.id
    if not can_sign_minutes(access.seat, actor, latest=is_latest, signed_roles=signed):
        raise _refusal(access.seat, is_latest)
    if sha256 is not None and sha256 != minutes.sha256:
        raise InvalidTransition(
            N_("These minutes are not the version you were shown: read them again and sign.")
        )
    assert access.seat is not None  # can_sign_minutes holds
    row = MinutesSignature(
        minutes_id=minutes.id, role=access.seat.role, user_id=actor.id, sha256=minutes.sha256
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="minutes",
        object_id=minutes.id,
        action="sign",
        to_state=access.seat.role,
        detail=f"v{minutes.version} sha256={minutes.sha256}",
    )
    session.flush()
    return row


def _refusal(seat, is_latest: bool) -> Exception:
    if seat is None or seat.role not in SIGNERS:
        return NotAllowed(N_("Only the council's chair and secretary sign the minutes."))
    if not is_latest:
        return InvalidTransition(
            N_("A later version of these minutes exists: sign the latest version.")
        )
    return InvalidTransition(N_("You have signed this version already."))


def minutes_for(session: Session, *, actor: User, minutes_id: int) -> Minutes:
    """A version of the minutes, for the fund's managers and the council's members."""
    minutes = session.get(Minutes, minutes_id)
    if minutes is None:
        raise NotFound(N_("No such minutes."))
    meeting_access(session, actor=actor, meeting_id=minutes.meeting_id)
    return minutes
