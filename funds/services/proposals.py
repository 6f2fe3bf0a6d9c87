"""Proposals: drafting, submission, withdrawal and the funding decision."""

from datetime import datetime

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from funds import audit
from funds.clock import utcnow
from funds.errors import (
    N_, CallClosed, InvalidTransition, NotAllowed, NotFound, RuleViolation, StaleEdit,
)
from funds.models.accounts import Role, User
from funds.models.calls import Call
from funds.models.proposals import Decision, DecisionOutcome, Proposal, ProposalStatus
from funds.permissions import (
    can_decide, can_edit_proposal, can_submit_proposal, can_view_proposal,
    can_withdraw_proposal,
)
from funds.rules import call_is_open, can_move, check_amount, proposal_violations
from funds.services.calls import call_rules

EDITABLE_FIELDS = ("title", "abstract", "area_code", "requested_vnd")


def get_proposal_for(session: Session, *, proposal_id: int, actor: User) -> Proposal:
    """The proposal if this user may see it; otherwise NotFound, so existence is not leaked."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_view_proposal(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return proposal


def _move(session: Session, proposal: Proposal, target: str, *, actor: User,
          action: str) -> None:
    if not can_move(proposal.status, target):
        raise InvalidTransition(N_("A %(status)s proposal cannot be %(target)s."),
                                status=proposal.status, target=target)
    audit.record(session, actor_id=actor.id, object_type="proposal", object_id=proposal.id,
                 action=action, from_state=proposal.status, to_state=target)
    proposal.status = target
    proposal.updated_at = utcnow()


def _check_fields(values: dict) -> None:
    if "requested_vnd" in values:
        violations = check_amount(values["requested_vnd"])
        if violations:
            raise RuleViolation(violations[0].message, violations)


def create_draft(session: Session, *, actor: User, call_id: int, title: str,
                 abstract: str = "", area_code: str | None = None,
                 requested_vnd: int = 0, now: datetime | None = None) -> Proposal:
    """An applicant starts a proposal to an open call (`now` is for back-dated imports)."""
    if not actor.has_role(Role.APPLICANT):
        raise NotAllowed(N_("Only applicants can write proposals."))
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(N_("No such call."))
    now = now or utcnow()
    if not call_is_open(call_rules(session, call), now):
        raise CallClosed(N_("This call is not open for proposals."))
    _check_fields({"requested_vnd": requested_vnd})
    proposal = Proposal(call_id=call.id, pi_id=actor.id, title=title.strip(),
                        abstract=abstract, area_code=area_code or None,
                        requested_vnd=requested_vnd, created_at=now, updated_at=now)
    session.add(proposal)
    session.flush()
    audit.record(session, actor_id=actor.id, object_type="proposal", object_id=proposal.id,
                 action="create", to_state=ProposalStatus.DRAFT)
    session.flush()
    return proposal


def update_draft(session: Session, *, actor: User, proposal_id: int, expected_version: int,
                 values: dict) -> Proposal:
    """Save a draft; a save based on an older version is refused, never overwrites."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_edit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can edit a draft."))
    if proposal.version_id != expected_version:
        raise StaleEdit(N_("Someone saved this proposal after you opened it."))
    _check_fields(values)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(proposal, name, values[name] or None if name == "area_code" else values[name])
    proposal.updated_at = utcnow()
    session.add(proposal)
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEdit(N_("Someone saved this proposal after you opened it.")) from exc
    return proposal


def submit_proposal(session: Session, *, actor: User, proposal_id: int,
                    now: datetime | None = None) -> Proposal:
    """Submit a draft before the call closes (server time decides); rules must all hold."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if proposal.status == ProposalStatus.SUBMITTED and proposal.pi_id == actor.id:
        return proposal  # idempotent: a double click or a retry submits once
    if not can_submit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can submit a draft."))
    call = session.get(Call, proposal.call_id)
    rules = call_rules(session, call)
    now = now or utcnow()
    if not call_is_open(rules, now):
        raise CallClosed(N_("The call closed at %(closes_at)s; submissions are no longer "
                            "accepted."), closes_at=call.closes_at)
    violations = proposal_violations(title=proposal.title, requested_vnd=proposal.requested_vnd,
                                     area_code=proposal.area_code, rules=rules)
    if violations:
        raise RuleViolation(N_("The proposal cannot be submitted yet."), violations)
    _move(session, proposal, ProposalStatus.SUBMITTED, actor=actor, action="submit")
    proposal.submitted_at = now
    session.add(proposal)
    session.flush()
    return proposal


def withdraw_proposal(session: Session, *, actor: User, proposal_id: int) -> Proposal:
    """The PI withdraws a submitted proposal before any decision."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_withdraw_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can withdraw a submission."))
    _move(session, proposal, ProposalStatus.WITHDRAWN, actor=actor, action="withdraw")
    session.add(proposal)
    session.flush()
    return proposal


def record_decision(session: Session, *, actor: User, proposal_id: int, outcome: str,
                    note: str = "") -> Decision:
    """A manager decides: funded or not funded."""
    proposal = get_proposal_for(session, proposal_id=proposal_id, actor=actor)
    if not can_decide(proposal, actor):
        raise NotAllowed(N_("Only fund managers can decide on a submitted proposal."))
    outcome = DecisionOutcome(outcome)
    target = ProposalStatus.FUNDED if outcome == DecisionOutcome.FUNDED else ProposalStatus.NOT_FUNDED
    _move(session, proposal, target, actor=actor, action="decide")
    decision = Decision(proposal_id=proposal.id, outcome=outcome, note=note.strip(),
                        decided_by=actor.id)
    session.add_all([proposal, decision])
    session.flush()
    audit.record(session, actor_id=actor.id, object_type="decision", object_id=decision.id,
                 action="create", to_state=outcome)
    return decision
