"""The register of host organisations, their officers, and the endorsement of proposals.

Services load, check, mutate, audit and flush; they never commit. This package names
proposals and submissions by id only (funds.proposals imports it for the checks of who sees
a proposal, so it does not import funds.proposals back).
"""

from datetime import datetime

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.hosts.errors import DuplicateHost, EndorsementClosed
from funds.hosts.models import Endorsement, EndorsementStatus, Host, HostOfficer, HostStatus
from funds.hosts.permissions import (
    can_choose_host,
    can_endorse,
    can_register_hosts,
    can_view_host,
    is_host_officer,
    may_name_host,
    officer_of,
)
from funds.hosts.queries import register_for_duplicates
from funds.hosts.rules import (
    ENDORSEMENT,
    HOST,
    duplicates,
    endorsement_open,
    fold_name,
    host_violations,
    normalise_tax_code,
)
from funds.profiles.models import Profile
from funds.rules import Violation

HOST_FIELDS = (
    "name_vi",
    "name_en",
    "tax_code",
    "address",
    "line_agency",
    "representative_name",
    "representative_title",
    "finance_name",
    "finance_email",
    "finance_phone",
)


def get_host_for(session: Session, *, host_id: int, actor: User) -> Host:
    """The organisation if the actor may see its page; otherwise NotFound."""
    host = session.get(Host, host_id)
    if host is None or not can_view_host(host, actor):
        raise NotFound(N_("No such organisation."))
    return host


def _clean(values: dict) -> dict:
    clean = {k: (values.get(k) or "").strip() for k in HOST_FIELDS}
    clean["tax_code"] = normalise_tax_code(clean["tax_code"]) or None
    clean["finance_email"] = clean["finance_email"].lower()
    return clean


def _check(session: Session, values: dict, *, allow_duplicate: bool, exclude: int | None) -> None:
    found = host_violations(values)
    if found:
        raise RuleViolation(found[0].message, found, **found[0].params)
    same = duplicates(
        name_vi=values["name_vi"],
        name_en=values["name_en"],
        tax_code=values["tax_code"],
        register=[r for r in register_for_duplicates(session) if r.id != exclude],
    )
    by_code = [r for r, why in same if why == "tax_code"]
    if by_code:  # a tax code names one organisation: never twice
        message, name = N_("%(name)s already has this tax code."), by_code[0].name
        raise DuplicateHost(message, [Violation("tax_code", message, {"name": name})], name=name)
    if same and not allow_duplicate:
        names = "; ".join(r.name for r, _why in same)
        raise DuplicateHost(
            N_("The register already has an organisation with this name: %(names)s."),
            [Violation("name_vi", N_("Already registered: %(names)s."), {"names": names})],
            names=names,
        )


def _audit(session: Session, host: Host, actor: User, action: str, **kw) -> None:
    audit.record(
        session, actor_id=actor.id, object_type="host", object_id=host.id, action=action, **kw
    )


def register_host(
    session: Session, *, actor: User, allow_duplicate: bool = False, **values
) -> Host:
    """An administrator or fund manager registers an organisation. A tax code already in the
    register is refused; a folded name already there is refused unless the keeper says it
    is another organisation (allow_duplicate)."""
    if not can_register_hosts(actor):
        raise NotAllowed(N_("Only administrators and fund managers keep the register."))
    clean = _clean(values)
    _check(session, clean, allow_duplicate=allow_duplicate, exclude=None)
    host = Host(**clean, folded_name=fold_name(clean["name_vi"]), status=HostStatus.CONFIRMED)
    session.add(host)
    session.flush()
    _audit(session, host, actor, "create", to_state=host.status, detail=host.tax_code or "")
    session.flush()
    return host


def update_host(
    session: Session, *, actor: User, host_id: int, allow_duplicate: bool = False, **values
) -> Host:
    """The register's keepers correct an organisation's record (the fields changed are
    audited, not their values)."""
    host = get_host_for(session, host_id=host_id, actor=actor)
    if not can_register_hosts(actor):
        raise NotAllowed(N_("Only administrators and fund managers keep the register."))
    clean = _clean(values)
    _check(session, clean, allow_duplicate=allow_duplicate, exclude=host.id)
    changed = sorted(k for k, v in clean.items() if getattr(host, k) != v)
    for name, value in clean.items():
        setattr(host, name, value)
    host.folded_name, host.updated_at = fold_name(host.name_vi), utcnow()
    session.add(host)
    _audit(session, host, actor, "update", detail=",".join(changed))
    session.flush()
    return host


def request_host(session: Session, *, actor: User, **values) -> Host:
    """An applicant asks for an organisation missing from the register and names it on their
    profile; a keeper confirms it. Until then only the asker may name it. A duplicate is
    refused, naming the existing one."""
    if not can_choose_host(actor):
        raise NotAllowed(N_("Only applicants ask for a new organisation."))
    clean = _clean(values)
    _check(session, clean, allow_duplicate=False, exclude=None)
    host = Host(
        **clean,
        folded_name=fold_name(clean["name_vi"]),
        status=HostStatus.REQUESTED,
        requested_by=actor.id,
    )
    session.add(host)
    session.flush()
    _audit(session, host, actor, "request", to_state=host.status)
    _name_on_profile(session, actor, host.id)
    return host


def decide_host(session: Session, *, actor: User, host_id: int, confirm: bool) -> Host:
    """A keeper confirms a requested or imported organisation, or rejects it."""
    host = get_host_for(session, host_id=host_id, actor=actor)
    if not can_register_hosts(actor):
        raise NotAllowed(N_("Only administrators and fund managers keep the register."))
    target = HostStatus.CONFIRMED if confirm else HostStatus.REJECTED
    before = HOST.move(host, target, N_("This organisation has already been decided."))
    host.updated_at = utcnow()
    session.add(host)
    action = "confirm" if confirm else "reject"
    _audit(session, host, actor, action, from_state=before, to_state=target)
    session.flush()
    return host


def link_officer(session: Session, *, actor: User, host_id: int, user_id: int) -> HostOfficer:
    """A keeper links an account holding the host officer role to the organisation."""
    host = get_host_for(session, host_id=host_id, actor=actor)
    if not can_register_hosts(actor):
        raise NotAllowed(N_("Only administrators and fund managers keep the register."))
    user = session.get(User, user_id)
    if user is None or not is_host_officer(user):
        raise RuleViolation(
            N_("Only an active account with the host officer role can act for an organisation."),
            [Violation("user_id", N_("Choose an account with the host officer role."))],
        )
    if officer_of(user, host):
        raise RuleViolation(N_("This account already acts for the organisation."))
    row = HostOfficer(host_id=host.id, user_id=user.id)
    host.officer_rows.append(row)
    session.flush()
    _audit(session, host, actor, "add_officer", detail=f"user {user.id}")
    return row


def unlink_officer(session: Session, *, actor: User, host_id: int, user_id: int) -> None:
    """A keeper ends an officer's link: from the next request they see nothing of the host."""
    host = get_host_for(session, host_id=host_id, actor=actor)
    if not can_register_hosts(actor):
        raise NotAllowed(N_("Only administrators and fund managers keep the register."))
    row = next((r for r in host.officer_rows if r.user_id == user_id), None)
    if row is None:
        raise NotFound(N_("This account does not act for the organisation."))
    host.officer_rows.remove(row)
    session.delete(row)
    _audit(session, host, actor, "remove_officer", detail=f"user {user_id}")
    session.flush()


def check_host_choice(session: Session, *, actor: User, host_id: int | None) -> None:
    """A host named on a profile or a proposal must be one the applicant may name."""
    if host_id is None:
        return
    host = session.get(Host, host_id)
    if host is None or not may_name_host(host, actor):
        message = N_("Choose an organisation from the register.")
        raise RuleViolation(message, [Violation("host_id", message)])


def choose_host(session: Session, *, actor: User, host_id: int | None) -> Profile:
    """The applicant names their host organisation on their profile (new proposals take it)."""
    if not can_choose_host(actor):
        raise NotAllowed(N_("Only applicants name a host organisation."))
    check_host_choice(session, actor=actor, host_id=host_id)
    return _name_on_profile(session, actor, host_id)


def _name_on_profile(session: Session, actor: User, host_id: int | None) -> Profile:
    profile = session.exec(select(Profile).where(Profile.user_id == actor.id)).first()
    profile = profile or Profile(user_id=actor.id)
    before, profile.host_id = profile.host_id, host_id
    session.add(profile)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="profile",
        object_id=profile.id,
        action="choose_host",
        detail=f"host {before} -> {host_id}",
    )
    session.flush()
    return profile


# --- endorsement -------------------------------------------------------------------------


def open_endorsement(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    submission_id: int,
    host_id: int,
    due_at: datetime,
) -> Endorsement:
    """A version was submitted to a call that requires the host's endorsement: it awaits the
    host's officers until `due_at` (called by funds.submission.services.submit)."""
    endorsement = Endorsement(
        proposal_id=proposal_id, submission_id=submission_id, host_id=host_id, due_at=due_at
    )
    session.add(endorsement)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="endorsement",
        object_id=endorsement.id,
        action="open",
        to_state=endorsement.status,
        detail=f"proposal {proposal_id} submission {submission_id} host {host_id}",
    )
    return endorsement


def cancel_endorsements(session: Session, *, actor: User, proposal_id: int) -> None:
    """The PI withdrew or reopened the version: what awaited the host is cancelled."""
    for e in session.exec(
        select(Endorsement).where(
            Endorsement.proposal_id == proposal_id,
            Endorsement.status == EndorsementStatus.PENDING,
        )
    ):
        before = ENDORSEMENT.move(e, EndorsementStatus.CANCELLED)
        session.add(e)
        audit.record(
            session,
            actor_id=actor.id,
            object_type="endorsement",
            object_id=e.id,
            action="cancel",
            from_state=before,
            to_state=e.status,
        )
    session.flush()


def _decide(
    session: Session, endorsement_id: int, actor: User, target: str, reason: str, now
) -> Endorsement:
    endorsement = get_endorsement_for(session, endorsement_id=endorsement_id, actor=actor)
    if not can_endorse(endorsement, session.get_one(Host, endorsement.host_id), actor):
        raise RuleViolation(N_("This version has already been endorsed, returned or withdrawn."))
    now = now or utcnow()
    if not endorsement_open(endorsement.due_at, now):
        raise EndorsementClosed(
            N_(
                "The endorsement period ended at %(due_at)s: the proposal can no longer be "
                "endorsed or returned."
            ),
            due_at=endorsement.due_at,
        )
    before = ENDORSEMENT.move(endorsement, target)
    endorsement.reason, endorsement.decided_by, endorsement.decided_at = reason, actor.id, now
    session.add(endorsement)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="endorsement",
        object_id=endorsement.id,
        action="endorse" if target == EndorsementStatus.ENDORSED else "return",
        from_state=before,
        to_state=target,
        detail=f"proposal {endorsement.proposal_id} submission {endorsement.submission_id}",
    )
    session.flush()
    return endorsement


def endorse_proposal(
    session: Session, *, actor: User, endorsement_id: int, now: datetime | None = None
) -> Endorsement:
    """A host officer endorses the submitted version, within the call's period."""
    return _decide(session, endorsement_id, actor, EndorsementStatus.ENDORSED, "", now)


def return_proposal(
    session: Session,
    *,
    actor: User,
    endorsement_id: int,
    reason: str,
    now: datetime | None = None,
) -> Endorsement:
    """A host officer returns the version to the PI with a reason, within the period."""
    reason = (reason or "").strip()
    if not reason:
        message = N_("Say why the proposal is returned.")
        raise RuleViolation(message, [Violation("reason", message)])
    if len(reason) > 2000:
        message = N_("At most %(limit)s characters.")
        raise RuleViolation(message, [Violation("reason", message, {"limit": 2000})], limit=2000)
    return _decide(session, endorsement_id, actor, EndorsementStatus.RETURNED, reason, now)


def get_endorsement_for(session: Session, *, endorsement_id: int, actor: User) -> Endorsement:
    """The endorsement if the actor acts for its host; otherwise NotFound."""
    endorsement = session.get(Endorsement, endorsement_id)
    host = session.get(Host, endorsement.host_id) if endorsement else None
    if endorsement is None or not officer_of(actor, host):
        raise NotFound(N_("No such endorsement."))
    return endorsement
