"""Administrators keep the legal instruments and settings current; every change is kept in
the instrument's history or the audit log, with who, when and why."""

import json
from datetime import date

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.legal.models import LegalInstrument, LegalInstrumentVersion, LegalSetting
from funds.legal.permissions import can_edit_law
from funds.legal.settings import SETTINGS
from funds.rules import Violation

EDITABLE = (
    "number",
    "kind",
    "title_vi",
    "title_en",
    "issuer",
    "issued_on",
    "effective_from",
    "effective_to",
    "supersedes",
    "certainty",
    "note",
)
KINDS = ("law", "resolution", "decree", "decision", "circular")


def snapshot(instrument: LegalInstrument) -> str:
    """The instrument's fields as canonical JSON (dates as ISO text)."""
    return json.dumps(
        {
            k: (v.isoformat() if isinstance(v, date) else v)
            for k in EDITABLE
            for v in [getattr(instrument, k)]
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def instrument_violations(session: Session, code: str, fields: dict) -> list[Violation]:
    found = []
    start, end = fields.get("effective_from"), fields.get("effective_to")
    if start and end and end < start:
        found.append(Violation("effective_to", N_("The period must end after it starts.")))
    issued = fields.get("issued_on")
    if issued and start and start < issued:
        found.append(
            Violation("effective_from", N_("An instrument cannot take effect before it is issued."))
        )
    if fields.get("kind") not in KINDS:
        found.append(Violation("kind", N_("Choose the kind of instrument.")))
    if fields.get("certainty") not in ("S", "P", "V"):
        found.append(Violation("certainty", N_("Choose how sure these facts are.")))
    other = fields.get("supersedes")
    if other and (other == code or session.get(LegalInstrument, other) is None):
        found.append(Violation("supersedes", N_("Choose another instrument, or none.")))
    for key in ("number", "title_vi", "title_en", "issuer"):
        if not (fields.get(key) or "").strip():
            found.append(Violation(key, N_("A value is required.")))
    return found


def update_instrument(
    session: Session, *, actor: User, code: str, fields: dict, note: str
) -> LegalInstrument:
    """An administrator corrects an instrument (e.g. a date to verify); the previous state
    stays in its history and the change is audited. A reason is required."""
    if not can_edit_law(actor):
        raise NotAllowed(N_("Only administrators can change legal instruments."))
    instrument = session.get(LegalInstrument, code)
    if instrument is None:
        raise NotFound(N_("No such legal instrument."))
    fields = {k: fields.get(k) for k in EDITABLE}
    fields["supersedes"] = fields["supersedes"] or None
    found = instrument_violations(session, code, fields)
    if not note.strip():
        found.append(Violation("note", N_("Say why the instrument changes.")))
    if found:
        raise RuleViolation(found[0].message, found)
    if not session.exec(
        select(LegalInstrumentVersion).where(LegalInstrumentVersion.instrument_code == code)
    ).first():
        session.add(  # the shipped state becomes version 1 of the history
            LegalInstrumentVersion(
                instrument_code=code,
                version=instrument.version,
                snapshot=snapshot(instrument),
                changed_at=instrument.updated_at,
                changed_by=instrument.updated_by,
                note="as shipped",
            )
        )
    for key, value in fields.items():
        setattr(instrument, key, value.strip() if isinstance(value, str) else value)
    instrument.version += 1
    instrument.updated_at, instrument.updated_by = utcnow(), actor.id
    session.add(instrument)
    session.add(
        LegalInstrumentVersion(
            instrument_code=code,
            version=instrument.version,
            snapshot=snapshot(instrument),
            changed_by=actor.id,
            note=note.strip()[:1000],
        )
    )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="legal_instrument",
        object_id=0,
        action="update",
        detail=f"{code} v{instrument.version}: {note.strip()[:200]}",
    )
    session.flush()
    return instrument


def update_setting(
    session: Session, *, actor: User, key: str, value: str, reason: str
) -> LegalSetting:
    """An administrator sets a legal setting, with the reason; the audit log keeps the
    previous value."""
    if not can_edit_law(actor):
        raise NotAllowed(N_("Only administrators can change legal settings."))
    spec = SETTINGS.get(key)
    if spec is None:
        raise NotFound(N_("No such setting."))
    try:
        spec.parse(value)
    except (ValueError, ZeroDivisionError):
        message = {
            "fraction": N_("Enter a decimal fraction between 0 and 1, e.g. 0.15."),
            "int": N_("Enter a whole number between %(minimum)s and %(maximum)s."),
            "bool": N_("Enter true or false."),
            "choice": N_("Choose one of: %(choices)s."),
        }[spec.kind]
        params = {
            "minimum": spec.minimum,
            "maximum": spec.maximum,
            "choices": ", ".join(spec.choices),
        }
        raise RuleViolation(message, [Violation("value", message, params)], **params) from None
    if not reason.strip():
        raise RuleViolation(
            N_("Say why the setting changes."),
            [Violation("reason", N_("Say why the setting changes."))],
        )
    row = session.get(LegalSetting, key)
    before = row.value if row else spec.default
    row = row or LegalSetting(key=key, value=value)
    row.value, row.reason = value.strip(), reason.strip()[:2000]
    row.updated_at, row.updated_by = utcnow(), actor.id
    session.add(row)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="legal_setting",
        object_id=0,
        action="update",
        from_state=before[:40],
        to_state=row.value[:40],
        detail=f"{key}: {reason.strip()[:200]}",
    )
    session.flush()
    return row
