"""Use cases of the appraisal (thẩm định nội dung và kinh phí) of a funded proposal: opened by
the fund, appraised line by line (the fund's staff or appointed appraisers), answered by the
PI, approved by the fund. Every step is audited (object `appraisal`)."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.appraisal import queries
from funds.appraisal.models import (
    Appraisal,
    AppraisalAppraiser,
    AppraisalBudgetLine,
    AppraisalStatus,
    AppraisalWorkLine,
)
from funds.appraisal.permissions import (
    can_answer,
    can_appoint,
    can_appraise,
    can_approve,
    can_open_appraisal,
    can_view_appraisal,
    may_be_appraiser,
)
from funds.appraisal.rules import (
    APPRAISAL,
    BudgetProposal,
    WorkProposal,
    answer_violations,
    approved_amount,
    proposal_violations,
    work_change,
)
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.proposals.models import Proposal
from funds.proposals.sections import budget_lines, work_packages
from funds.rules import Violation


@dataclass(frozen=True)
class AppraisalAccess:
    appraisal: Appraisal
    proposal: Proposal
    appointed: bool  # the actor is an appointed appraiser


def _refuse(found: list[Violation], message: str) -> NoReturn:
    raise RuleViolation(message, found)


def _audit(session, actor: User, appraisal: Appraisal, action: str, before=None, detail=""):
    audit.record(
        session,
        actor_id=actor.id,
        object_type="appraisal",
        object_id=appraisal.id,
        action=action,
        from_state=before,
        to_state=appraisal.status,
        detail=detail[:4000],
    )


def get_appraisal_for(session: Session, *, actor: User, appraisal_id: int) -> AppraisalAccess:
    """The appraisal if this user may see it (managers, the PI, its appraisers, the host's
    officers); otherwise NotFound."""
    appraisal = session.get(Appraisal, appraisal_id)
    proposal = session.get(Proposal, appraisal.proposal_id) if appraisal else None
    if appraisal is None or proposal is None:
        raise NotFound(N_("No such appraisal."))
    appointed = actor.id in queries.appraiser_ids(session, appraisal.id)
    if not can_view_appraisal(proposal, actor, appointed=appointed):
        raise NotFound(N_("No such appraisal."))
    return AppraisalAccess(appraisal, proposal, appointed)


def open_appraisal(session: Session, *, actor: User, proposal_id: int) -> Appraisal:
    """After the selection decision, the fund opens the appraisal of a funded proposal: its
    work plan and state budget lines are copied as submitted, to be gone through."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_open_appraisal(proposal, actor):
        raise NotFound(N_("No such proposal."))
    existing = queries.appraisal_of(session, proposal_id)
    if existing is not None:
        return existing
    appraisal = Appraisal(proposal_id=proposal.id, opened_by=actor.id)
    session.add(appraisal)
    session.flush()
    for n, wp in enumerate(work_packages(session, proposal.id)):
        session.add(
            AppraisalWorkLine(
                appraisal_id=appraisal.id,
                position=n,
                owner=wp.owner,
                task=wp.task,
                due_month=wp.due_month,
                deliverable=wp.deliverable,
            )
        )
    for category, year, amount in budget_lines(session, proposal.id):
        session.add(
            AppraisalBudgetLine(
                appraisal_id=appraisal.id, category=category, fiscal_year=year, submitted_vnd=amount
            )
        )
    _audit(session, actor, appraisal, "open", detail=f"proposal {proposal.id}")
    session.flush()
    return appraisal


def add_appraiser(
    session: Session, *, actor: User, appraisal_id: int, user_id: int, conflicts: Sequence[str]
) -> AppraisalAppraiser:
    """Appoint an appraiser for this proposal. `conflicts` are the reasons found by the
    caller's conflict checks (reviews.appraisal.services.appoint_appraiser, the checks of
    peer review): any reason refuses the appointment."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    if not can_appoint(found.appraisal, found.proposal, actor):
        raise NotAllowed(N_("The fund's managers appoint appraisers while it is appraised."))
    user = session.get(User, user_id)
    if user is None or not may_be_appraiser(user):
        raise RuleViolation(
            N_("Appraisers are reviewers of the pool or the fund's staff."),
            [Violation("user_id", N_("Choose a reviewer or a member of the fund's staff."))],
        )
    if user.id == found.proposal.pi_id or conflicts:
        reasons = list(conflicts) or [N_("The reviewer is the principal investigator.")]
        raise RuleViolation(
            N_("%(name)s has a conflict of interest with this proposal."),
            [Violation("user_id", r) for r in reasons],
            name=user.name,
        )
    if user.id in queries.appraiser_ids(session, appraisal_id):
        raise RuleViolation(N_("%(name)s is already an appraiser."), name=user.name)
    row = AppraisalAppraiser(appraisal_id=appraisal_id, user_id=user.id, appointed_by=actor.id)
    session.add(row)
    _audit(session, actor, found.appraisal, "appoint", detail=f"user {user.id}")
    session.flush()
    return row


def save_appraisal(
    session: Session,
    *,
    actor: User,
    appraisal_id: int,
    budget: Mapping[int, BudgetProposal],
    work: Mapping[int, WorkProposal],
) -> Appraisal:
    """The appraisers' proposals, line by line (budget line id → amount and reason; work line
    id → values or removal and reason); a line left out keeps what it had."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    appraisal = found.appraisal
    if not can_appraise(appraisal, found.proposal, actor, appointed=found.appointed):
        raise NotAllowed(N_("Only the appraisers change the appraisal while it is appraised."))
    blines = {b.id: b for b in queries.budget_lines(session, appraisal.id)}
    wlines = {w.id: w for w in queries.work_lines(session, appraisal.id)}
    if not set(budget) <= set(blines) or not set(work) <= set(wlines):
        raise NotFound(N_("No such line."))
    current_budget = {
        i: BudgetProposal(b.submitted_vnd if b.proposed_vnd is None else b.proposed_vnd, b.reason)
        for i, b in blines.items()
    } | dict(budget)
    found_v = proposal_violations(
        [(i, blines[i].submitted_vnd, p) for i, p in current_budget.items()],
        [(queries.submitted_work(wlines[i]), p) for i, p in work.items()],
    )
    if found_v:
        _refuse(found_v, N_("The appraisal is not saved:"))
    for i, p in budget.items():
        line = blines[i]
        changed = p.amount_vnd != line.submitted_vnd
        line.proposed_vnd = p.amount_vnd if changed else None
        line.reason = p.reason.strip() if changed else ""
        session.add(line)
    for i, w in work.items():
        _propose_work(session, wlines[i], w)
    _audit(session, actor, appraisal, "propose", detail=_summary(blines.values()))
    session.flush()
    return appraisal


def _propose_work(session: Session, line: AppraisalWorkLine, p: WorkProposal) -> None:
    change = {} if p.removed else work_change(queries.submitted_work(line), p)
    line.proposed_owner = change.get("owner")  # type: ignore[assignment]
    line.proposed_task = change.get("task")  # type: ignore[assignment]
    line.proposed_due_month = change.get("due_month")  # type: ignore[assignment]
    line.proposed_deliverable = change.get("deliverable")  # type: ignore[assignment]
    line.proposed_removed = p.removed
    line.reason = p.reason.strip() if (change or p.removed) else ""
    session.add(line)


def _summary(lines) -> str:
    return "; ".join(
        f"{b.category} {b.fiscal_year}: {b.submitted_vnd} -> {b.proposed_vnd}"
        for b in lines
        if b.proposed_vnd is not None
    )


def send_to_pi(session: Session, *, actor: User, appraisal_id: int) -> Appraisal:
    """The appraisal goes to the PI, who accepts or answers each proposed change."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    if not can_appraise(found.appraisal, found.proposal, actor, appointed=found.appointed):
        raise NotAllowed(N_("Only the appraisers send the appraisal to the PI."))
    before = APPRAISAL.move(found.appraisal, AppraisalStatus.WITH_PI)
    found.appraisal.sent_at = utcnow()
    for line in _changed_lines(session, found.appraisal.id):
        line.response, line.answer = None, ""
        session.add(line)
    session.add(found.appraisal)
    _audit(session, actor, found.appraisal, "send_to_pi", before, f"round {found.appraisal.round}")
    session.flush()
    return found.appraisal


def _changed_lines(session: Session, appraisal_id: int) -> list:
    return [
        *(b for b in queries.budget_lines(session, appraisal_id) if queries.budget_changed(b)),
        *(w for w in queries.work_lines(session, appraisal_id) if queries.work_changed(w)),
    ]


def _key(line) -> tuple[str, int]:
    return ("budget" if isinstance(line, AppraisalBudgetLine) else "work", line.id)


def answer_appraisal(
    session: Session,
    *,
    actor: User,
    appraisal_id: int,
    answers: Mapping[tuple[str, int], tuple[str | None, str]],
) -> Appraisal:
    """The PI accepts each proposed change or answers it (("budget" | "work", line id) →
    ("accepted" | "answered", the answer)); every change needs one."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    if not can_answer(found.appraisal, found.proposal, actor):
        raise NotAllowed(N_("Only the PI answers the appraisal sent to them."))
    changed = _changed_lines(session, found.appraisal.id)
    given = [answers.get(_key(line), (None, "")) for line in changed]
    found_v = answer_violations(given)
    if found_v:
        _refuse(found_v, N_("Your answers are not sent:"))
    for line, (response, text) in zip(changed, given, strict=True):
        line.response, line.answer = response, text.strip()
        session.add(line)
    before = APPRAISAL.move(found.appraisal, AppraisalStatus.ANSWERED)
    found.appraisal.answered_at = utcnow()
    session.add(found.appraisal)
    disputed = sum(1 for r, _t in given if r == "answered")
    _audit(session, actor, found.appraisal, "answer", before, f"{disputed} disputed")
    session.flush()
    return found.appraisal


def approve_appraisal(
    session: Session,
    *,
    actor: User,
    appraisal_id: int,
    keep_submitted: Collection[tuple[str, int]] = (),
    conclusion: str = "",
) -> Appraisal:
    """The fund approves the appraisal: each change the PI accepted as proposed; a disputed
    one as proposed unless the manager keeps the submitted line (`keep_submitted`). The
    approved lines become the contract's annexes and the award's budget."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    appraisal = found.appraisal
    if not can_approve(appraisal, found.proposal, actor):
        raise NotAllowed(N_("The fund's managers approve an appraisal the PI has answered."))
    keep = set(keep_submitted)
    for b in queries.budget_lines(session, appraisal.id):
        b.keep_submitted = ("budget", b.id) in keep and b.response == "answered"
        b.approved_vnd = approved_amount(
            b.submitted_vnd, b.proposed_vnd, b.response, b.keep_submitted
        )
        session.add(b)
    for w in queries.work_lines(session, appraisal.id):
        w.keep_submitted = ("work", w.id) in keep and w.response == "answered"
        w.approved = True
        session.add(w)
    before = APPRAISAL.move(appraisal, AppraisalStatus.APPROVED)
    appraisal.approved_by, appraisal.approved_at = actor.id, utcnow()
    appraisal.conclusion = conclusion.strip()
    session.add(appraisal)
    session.flush()
    total = sum(r.approved_vnd for r in queries.budget_rows(session, appraisal.id))
    _audit(session, actor, appraisal, "approve", before, f"approved budget {total}")
    session.flush()
    return appraisal


def reopen_appraisal(session: Session, *, actor: User, appraisal_id: int) -> Appraisal:
    """Another round: the PI's answers go back to the appraisers, who may revise their
    proposals and send them again."""
    found = get_appraisal_for(session, actor=actor, appraisal_id=appraisal_id)
    if not can_approve(found.appraisal, found.proposal, actor):
        raise NotAllowed(N_("The fund's managers approve an appraisal the PI has answered."))
    before = APPRAISAL.move(found.appraisal, AppraisalStatus.IN_PROGRESS)
    found.appraisal.round += 1
    session.add(found.appraisal)
    _audit(session, actor, found.appraisal, "reopen", before, f"round {found.appraisal.round}")
    session.flush()
    return found.appraisal


def appraisal_for_proposal(session: Session, *, actor: User, proposal_id: int) -> Appraisal | None:
    """The proposal's appraisal if there is one and this user may see it."""
    appraisal = session.exec(select(Appraisal).where(Appraisal.proposal_id == proposal_id)).first()
    if appraisal is None:
        return None
    try:
        return get_appraisal_for(session, actor=actor, appraisal_id=appraisal.id).appraisal
    except NotFound:
        return None
