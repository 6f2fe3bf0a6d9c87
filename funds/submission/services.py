"""Submission that holds: atomic, idempotent, refused after the deadline, every version kept."""

import hashlib
import json
from datetime import datetime
from typing import NoReturn

from sqlmodel import Session, col, func, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.calls.rules import CallRules, Stage, stage_closes_at, stage_is_open
from funds.calls.services import call_rules
from funds.clock import utcnow
from funds.consent.services import require_consent_to_propose
from funds.errors import (
    N_,
    CallClosed,
    NotAllowed,
    NotFound,
    RuleViolation,
    StaleEdit,
)
from funds.hosts.rules import endorsement_due
from funds.hosts.services import cancel_endorsements, open_endorsement
from funds.limits.queries import limit_items
from funds.proposals.eligibility import eligibility, failing
from funds.proposals.models import (
    Proposal,
    ProposalStatus,
    Submission,
    SubmissionStatus,
)
from funds.proposals.permissions import (
    can_reopen_proposal,
    can_submit_proposal,
    can_view_proposal,
    can_withdraw_proposal,
)
from funds.proposals.sections import facts_for
from funds.proposals.services import move
from funds.rules import Violation
from funds.submission.rules import SUBMISSION
from funds.submission.snapshot import build_snapshot


def _locked(session: Session, proposal_id: int, actor: User) -> Proposal:
    """The proposal row, locked for this transaction (PostgreSQL), if the actor may see it."""
    stmt = select(Proposal).where(Proposal.id == proposal_id).with_for_update()
    proposal = session.exec(stmt.execution_options(populate_existing=True)).first()
    if proposal is None or not can_view_proposal(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return proposal


def current_submission(session: Session, proposal_id: int) -> Submission | None:
    """The latest submitted version of a proposal, if any."""
    stmt = (
        select(Submission)
        .where(Submission.proposal_id == proposal_id)
        .order_by(col(Submission.version_no).desc())
    )
    return session.exec(stmt).first()


def submissions_of(session: Session, proposal_id: int) -> list[Submission]:
    stmt = (
        select(Submission)
        .where(Submission.proposal_id == proposal_id)
        .order_by(col(Submission.version_no))
    )
    return list(session.exec(stmt).all())


def canonical_json(data: dict) -> bytes:
    """The snapshot's bytes: sorted keys, UTF-8, no spaces — hashed as they are stored."""
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def _refuse_closed(rules: CallRules, proposal: Proposal) -> NoReturn:
    """The clear refusal after a stage's deadline, naming it."""
    if rules.two_stage and proposal.stage == Stage.FULL:
        raise CallClosed(
            N_(
                "The deadline for full proposals was %(closes_at)s; full proposals are no "
                "longer accepted."
            ),
            closes_at=rules.full_closes_at,
        )
    raise CallClosed(
        N_("The call closed at %(closes_at)s; submissions are no longer accepted."),
        closes_at=rules.closes_at,
    )


def _check(session: Session, proposal: Proposal, call: Call, now: datetime) -> None:
    rules = call_rules(session, call)
    if not stage_is_open(rules, proposal.stage, now):
        _refuse_closed(rules, proposal)
    # the fund's limits per person count across every fund (funds.limits)
    bad = failing(eligibility(facts_for(session, proposal), rules, now))
    bad += failing(limit_items(session, proposal))
    if bad:
        raise RuleViolation(
            N_("The proposal cannot be submitted yet."),
            [Violation(i.anchor, i.message, i.params) for i in bad],
        )


def submit(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Submission:
    """Submit the draft once: a retry or a double click returns the same receipt."""
    submission, _new = submit_once(
        session, actor=actor, proposal_id=proposal_id, expected_version=expected_version, now=now
    )
    return submission


def submit_once(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> tuple[Submission, bool]:
    """Submit the draft once; also says whether this call made the submission (True) or
    found it made by an earlier request (a retry, the other half of a double click), decided
    under the proposal's row lock, so work that follows a submission is queued once."""
    proposal = _locked(session, proposal_id, actor)
    if proposal.status == ProposalStatus.SUBMITTED and proposal.pi_id == actor.id:
        receipt = current_submission(session, proposal.id)
        assert receipt is not None  # a submitted proposal has its receipt
        return receipt, False
    if not can_submit_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can submit a draft."))
    require_consent_to_propose(session, actor=actor)
    if expected_version is not None and expected_version != proposal.version_id:
        raise StaleEdit(N_("Someone saved this proposal after you opened it."))
    call = session.get_one(Call, proposal.call_id)
    now = now or utcnow()
    _check(session, proposal, call, now)
    previous = (
        session.exec(
            select(func.max(Submission.version_no)).where(Submission.proposal_id == proposal.id)
        ).one()
        or 0
    )
    version_no = previous + 1
    proposal.submitted_at = now
    body = canonical_json(build_snapshot(session, proposal, call, version_no=version_no))
    submission = Submission(
        proposal_id=proposal.id,
        version_no=version_no,
        snapshot=body.decode("utf-8"),
        sha256=hashlib.sha256(body).hexdigest(),
        submitted_by=actor.id,
        submitted_at=now,
        receipt_no=f"RDF-{call.id:04d}-{proposal.id:06d}-{version_no}",
    )
    move(session, proposal, ProposalStatus.SUBMITTED, actor=actor, action="submit")
    session.add_all([proposal, submission])
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="submission",
        object_id=submission.id,
        action="create",
        to_state=SubmissionStatus.CURRENT,
        detail=f"{submission.receipt_no} sha256={submission.sha256}",
    )
    # the host endorses the proposal the fund may fund: a full one, not a pre-proposal
    deadline = stage_closes_at(call_rules(session, call), proposal.stage)
    if (
        call.requires_endorsement
        and proposal.host_id is not None
        and proposal.stage != Stage.OUTLINE
        and deadline is not None
    ):
        open_endorsement(
            session,
            actor=actor,
            proposal_id=proposal.id,
            submission_id=submission.id,
            host_id=proposal.host_id,
            due_at=endorsement_due(deadline, call.endorsement_days),
        )
    session.flush()
    return submission, True


def _before_deadline(session: Session, proposal: Proposal) -> None:
    rules = call_rules(session, session.get_one(Call, proposal.call_id))
    if not stage_is_open(rules, proposal.stage, utcnow()):
        _refuse_closed(rules, proposal)


def _retire(session: Session, proposal: Proposal, status: str) -> None:
    latest = current_submission(session, proposal.id)
    if latest is not None and SUBMISSION.can_move(latest.status, status):
        SUBMISSION.move(latest, status)
        session.add(latest)


def withdraw(session: Session, *, actor: User, proposal_id: int) -> Proposal:
    """The PI withdraws the submitted version before the deadline (it stays on record)."""
    proposal = _locked(session, proposal_id, actor)
    if not can_withdraw_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can withdraw a submission."))
    _before_deadline(session, proposal)
    _retire(session, proposal, SubmissionStatus.WITHDRAWN)
    cancel_endorsements(session, actor=actor, proposal_id=proposal.id)
    move(session, proposal, ProposalStatus.WITHDRAWN, actor=actor, action="withdraw")
    session.add(proposal)
    session.flush()
    return proposal


def reopen(session: Session, *, actor: User, proposal_id: int) -> Proposal:
    """Back to draft before the deadline, to edit and submit a new version."""
    proposal = _locked(session, proposal_id, actor)
    if not can_reopen_proposal(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can reopen a submission."))
    _before_deadline(session, proposal)
    _retire(session, proposal, SubmissionStatus.SUPERSEDED)
    cancel_endorsements(session, actor=actor, proposal_id=proposal.id)
    move(session, proposal, ProposalStatus.DRAFT, actor=actor, action="reopen")
    session.add(proposal)
    session.flush()
    return proposal


def record_receipt_pdf(session: Session, *, submission_id: int, pdf_name: str) -> None:
    """The task queue stored the submitted version's PDF: name it on the row, once, audited."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.pdf_name:
        return
    submission.pdf_name = pdf_name
    session.add(submission)
    audit.record(
        session,
        actor_id=None,
        object_type="submission",
        object_id=submission_id,
        action="store_pdf",
        detail=pdf_name,
    )
    session.flush()


def record_receipt_mailed(session: Session, *, submission_id: int) -> None:
    """The receipt and its PDF went to the principal investigator: once, audited (the log
    names the receipt, never the address)."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.receipt_mailed_at:
        return
    submission.receipt_mailed_at = utcnow()
    session.add(submission)
    audit.record(
        session,
        actor_id=None,
        object_type="submission",
        object_id=submission_id,
        action="mail_receipt",
        detail=submission.receipt_no,
    )
    session.flush()


def submit_proposal(
    session: Session, *, actor: User, proposal_id: int, now: datetime | None = None
) -> Proposal:
    """Submit a draft before the call closes; returns the proposal."""
    submit(session, actor=actor, proposal_id=proposal_id, now=now)
    return session.get_one(Proposal, proposal_id)


def withdraw_proposal(session: Session, *, actor: User, proposal_id: int) -> Proposal:
    """The PI withdraws a submitted proposal before the deadline."""
    withdraw(session, actor=actor, proposal_id=proposal_id)
    return session.get_one(Proposal, proposal_id)
