"""Personal-data rights, one service per use case: export, correction, consent, erasure."""

import secrets
from dataclasses import dataclass

from sqlmodel import Session, SQLModel, select

from funds import audit
from funds.accounts.models import User
from funds.accounts.services import CONSENT_VERSION, authenticate, sign_out_everywhere
from funds.clock import utcnow
from funds.consent import queries as consent_queries
from funds.consent.models import ConsentEvent, ConsentKind
from funds.consent.rules import ConsentState
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.privacy import queries
from funds.privacy.errors import ErasureRefused, UnclaimedPersonalData
from funds.privacy.models import Erasure
from funds.privacy.parts import drafts_of  # importing it registers the funds parts
from funds.privacy.permissions import can_erase_for, can_export_for
from funds.privacy.registry import ErasurePlan, Record, parts, unclaimed_tables
from funds.privacy.rules import (
    CHANNELS,
    UNUSABLE_PASSWORD,
    confirmation_matches,
    erasure_violations,
    pseudonym_email,
    pseudonym_name,
)
from funds.rules import Violation

EXPORT_FORMAT = "rdfund-personal-data/1"


def personal_data(session: Session, user: User) -> dict:
    """Everything held about the person, section by section, from every registered part."""
    sections: dict = {}
    for part in parts():
        sections.update(part.export(session, user))
    return {
        "format": EXPORT_FORMAT,
        "generated_at": utcnow().isoformat(),
        "notice_version": CONSENT_VERSION,
        "sections": sections,
    }


def export_personal_data(session: Session, *, actor: User, user_id: int, form: str) -> dict:
    """The person's data for download (JSON or PDF); a sensitive act, so it is audited."""
    person = session.get(User, user_id)
    if person is None or not can_export_for(actor, person):
        raise NotFound(N_("No such person."))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=person.id,
        action="export_personal_data",
        detail=form,
    )
    session.flush()
    return personal_data(session, person)


def correct_personal_data(
    session: Session, *, actor: User, name: str, institution: str
) -> list[str]:
    """The person corrects their name and institution; the log names the fields only."""
    name, institution = name.strip(), institution.strip()
    if not name or len(name) > 200 or len(institution) > 300:
        raise RuleViolation(
            N_("Give your name (at most 200 characters) and institution (at most 300)."),
            [Violation("name", N_("This field is required."))],
        )
    changed = [
        f for f, v in (("name", name), ("institution", institution)) if getattr(actor, f) != v
    ]
    if changed:
        actor.name, actor.institution = name, institution
        session.add(actor)
        audit.record(
            session,
            actor_id=actor.id,
            object_type="user",
            object_id=actor.id,
            action="correct_personal_data",
            detail=",".join(changed),
        )
        session.flush()
    return changed


def _with_history(session: Session, user: User) -> None:
    """Consent given at registration becomes the first event of the history."""
    if user.consent_at is not None and not consent_queries.consent_events(session, user.id):
        session.add(
            ConsentEvent(
                user_id=user.id,
                kind=ConsentKind.GIVEN,
                source="registration",
                version=user.consent_version or CONSENT_VERSION,
                at=user.consent_at,
            )
        )


def _consent_event(
    session: Session, user: User, kind: str, *, source: str, actor: User
) -> ConsentEvent:
    _with_history(session, user)
    event = ConsentEvent(
        user_id=user.id, kind=kind, source=source, version=user.consent_version or CONSENT_VERSION
    )
    if kind == ConsentKind.GIVEN:
        event.version = CONSENT_VERSION
        user.consent_at, user.consent_version = event.at, CONSENT_VERSION
    else:
        user.consent_at, user.consent_version = None, None
    session.add_all([event, user])
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=user.id,
        action=f"consent_{kind}",
        detail=event.version,
    )
    session.flush()
    return event


def withdraw_consent(session: Session, *, actor: User) -> ConsentEvent:
    """The person withdraws consent: processing needed for contracts and legal obligations
    continues; new proposals stop until consent is given again."""
    if consent_queries.consent_of(session, actor) != ConsentState.GIVEN:
        raise RuleViolation(N_("There is no consent to withdraw."))
    return _consent_event(session, actor, ConsentKind.WITHDRAWN, source="self", actor=actor)


def give_consent(session: Session, *, actor: User) -> ConsentEvent:
    """The person gives consent (again) to the current privacy notice."""
    if (
        consent_queries.consent_of(session, actor) == ConsentState.GIVEN
        and actor.consent_version == CONSENT_VERSION
    ):
        raise RuleViolation(N_("You have already given your consent to this notice."))
    return _consent_event(session, actor, ConsentKind.GIVEN, source="self", actor=actor)


@dataclass(frozen=True)
class ErasurePreview:
    deleted: list[Record]
    kept: list[Record]
    blockers: list[Violation]


def erasure_preview(session: Session, *, user: User) -> ErasurePreview:
    """What an erasure would delete and keep (with the reason of each), and what stops it."""
    deleted = [r for p in parts() for r in p.deleted(session, user)]
    kept = [r for p in parts() for r in p.kept(session, user)]
    blockers = erasure_violations(
        already_erased=queries.erasure_of(session, user.id) is not None,
        active_contracts=queries.active_contracts(session, user.id),
        confirmed=True,
    )
    return ErasurePreview(deleted, kept, blockers)


def erase_own_data(
    session: Session, *, actor: User, password: str, typed_email: str
) -> ErasurePlan:
    """Self-service deletion, immediate: the password again and the e-mail typed out."""
    if authenticate(session, email=actor.email, password=password) is None:
        raise ErasureRefused(
            N_("The password is not right."),
            [Violation("password", N_("The password is not right."))],
        )
    return _erase(session, person=actor, actor=actor, channel="self", typed_email=typed_email)


def erase_person_data(
    session: Session, *, actor: User, user_id: int, typed_email: str, channel: str
) -> ErasurePlan:
    """An administrator erases a person's data on a request received by post, e-mail or in
    person (the request itself is filed outside the portal)."""
    person = session.get(User, user_id)
    if person is None:
        raise NotFound(N_("No such person."))
    if not can_erase_for(actor, person) or channel not in CHANNELS[1:]:
        raise NotAllowed(N_("Only administrators can erase another person's data."))
    return _erase(session, person=person, actor=actor, channel=channel, typed_email=typed_email)


def _erase(
    session: Session, *, person: User, actor: User, channel: str, typed_email: str
) -> ErasurePlan:
    missing = unclaimed_tables(list(SQLModel.metadata.tables.values()))
    if missing:
        raise UnclaimedPersonalData(f"no privacy part claims the tables {missing}")
    violations = erasure_violations(
        already_erased=queries.erasure_of(session, person.id) is not None,
        active_contracts=queries.active_contracts(session, person.id),
        confirmed=confirmation_matches(typed_email, person.email),
    )
    if violations:
        raise ErasureRefused(violations[0].message, violations, **violations[0].params)
    plan = ErasurePlan(
        user=person,
        actor=actor,
        tag=_free_tag(session),
        draft_ids=[p.id for p in drafts_of(session, person)],
    )
    if consent_queries.consent_of(session, person) == ConsentState.GIVEN:
        _consent_event(session, person, ConsentKind.WITHDRAWN, source="erasure", actor=actor)
    for part in parts():
        part.erase(session, plan)
    session.flush()
    _pseudonymise_account(session, plan, channel)
    return plan


def _free_tag(session: Session) -> str:
    while True:
        tag = secrets.token_hex(4)
        if session.exec(select(User.id).where(User.email == pseudonym_email(tag))).first() is None:
            return tag


def _pseudonymise_account(session: Session, plan: ErasurePlan, channel: str) -> None:
    person = session.get_one(User, plan.user.id)
    sign_out_everywhere(session, actor=person)
    person.name, person.email = pseudonym_name(plan.tag), pseudonym_email(plan.tag)
    person.institution, person.orcid = "", None
    person.password_hash, person.is_active = UNUSABLE_PASSWORD, False
    person.consent_at, person.consent_version = None, None
    session.add_all([person, Erasure(user_id=person.id, actor_id=plan.actor.id, channel=channel)])
    audit.record(
        session,
        actor_id=plan.actor.id,
        object_type="user",
        object_id=person.id,
        action="erase_personal_data",
        to_state="erased",
        detail=channel,
    )
    session.flush()
