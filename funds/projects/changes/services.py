"""Change requests with effect: the PI asks, the fund decides within its deadline, and an
approved change does what it says and amends the contract as a numbered annex."""

from datetime import date, timedelta
from typing import NoReturn

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import to_local, utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.hosts.models import Host
from funds.hosts.rules import PICKABLE
from funds.legal import settings as legal_settings
from funds.projects import closeout as co
from funds.projects import rules as project_rules
from funds.projects.changes import queries, rules
from funds.projects.changes.rules import ChangeKind
from funds.projects.models import Award, AwardBudgetLine, ChangeRequest, ChangeStatus
from funds.projects.money import services as money
from funds.projects.money.queries import disbursed_in
from funds.projects.permissions import can_report
from funds.projects.rules import AWARD, CHANGE
from funds.projects.services import get_project_for, managed_project
from funds.proposals.models import Proposal
from funds.rules import Violation


def _refuse(violation: Violation) -> NoReturn:
    raise RuleViolation(violation.message, [violation], **violation.params)


def request_change(
    session: Session,
    *,
    actor: User,
    award_id: int,
    kind: str,
    reason: str,
    extension_days: int | None = None,
    new_pi_email: str = "",
    new_host_id: int | None = None,
    from_category: str = "",
    to_category: str = "",
    move_year: int | None = None,
    amount_vnd: int | None = None,
    used_vnd: int | None = None,
    today: date | None = None,
) -> ChangeRequest:
    """The PI asks for a change with its reason and what it should do; the fund decides by
    the deadline (changes.decision_days). A budget move within the fund's limit
    (changes.budget_move_share of the line it leaves) takes effect at once."""
    award, proposal = get_project_for(session, award_id=award_id, actor=actor)
    if not can_report(proposal, actor):
        raise NotAllowed(N_("Only the principal investigator can request changes."))
    if not project_rules.is_running(award.status):
        raise InvalidTransition(AWARD.refusal)
    today = today or to_local(utcnow()).date()
    if kind not in set(ChangeKind):
        _refuse(Violation("kind", N_("Choose the kind of change.")))
    if not reason.strip():
        _refuse(Violation("reason", N_("A change request needs a reason.")))
    change = ChangeRequest(
        award_id=award.id,
        kind=kind,
        reason=reason.strip(),
        requested_on=today,
        due_on=rules.decision_due(today, legal_settings.value(session, "changes.decision_days")),
    )
    _fill(
        session,
        change,
        award,
        proposal,
        today,
        extension_days=extension_days,
        new_pi_email=new_pi_email,
        new_host_id=new_host_id,
        from_category=from_category,
        to_category=to_category,
        move_year=move_year,
        amount_vnd=amount_vnd,
        used_vnd=used_vnd,
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="change_request",
        object_id=change.id,
        action="request",
        to_state=ChangeStatus.PENDING,
        detail=kind,
    )
    if kind == ChangeKind.BUDGET_MOVE and _within_limit(session, change):
        before = CHANGE.move(change, ChangeStatus.APPROVED)
        change.decided_at = utcnow()
        change.decision_note = "within the fund's limit"
        _apply(session, actor, change, award, proposal)
        _audit_decision(session, actor, change, before, "approve_within_limit")
    session.flush()
    return change


def _fill(session, change: ChangeRequest, award, proposal, today, **typed) -> None:
    """Check and record what the change should do, by kind."""
    kind = change.kind
    if kind == ChangeKind.EXTENSION:
        days = typed["extension_days"]
        if not days or days <= 0:
            _refuse(Violation("extension_days", N_("Say how many days the extension should add.")))
        if not project_rules.extension_request_in_time(award.end_date, today):
            raise RuleViolation(
                N_("Extensions are requested at least %(days)s days before the end date."),
                days=project_rules.EXTENSION_NOTICE_DAYS,
            )
        change.extension_days = days
        _check_extension(session, award, days)
    elif kind == ChangeKind.BUDGET_MOVE:
        change.from_category, change.to_category = typed["from_category"], typed["to_category"]
        change.move_year, change.amount_vnd = typed["move_year"], typed["amount_vnd"]
        _check_move(session, change)
    elif kind == ChangeKind.PI_CHANGE:
        email = (typed["new_pi_email"] or "").strip().lower()
        new_pi = session.exec(select(User).where(User.email == email)).first() if email else None
        if new_pi is None or not new_pi.is_active:
            _refuse(Violation("new_pi_email", N_("No active account has this e-mail address.")))
        if new_pi.id == proposal.pi_id:
            _refuse(Violation("new_pi_email", N_("This person already leads the project.")))
        change.new_pi_id = new_pi.id
    elif kind == ChangeKind.HOST_CHANGE:
        host = session.get(Host, typed["new_host_id"]) if typed["new_host_id"] else None
        if host is None or host.status not in PICKABLE:
            _refuse(Violation("new_host_id", N_("Choose the new host organisation.")))
        if host.id == proposal.host_id:
            _refuse(Violation("new_host_id", N_("This organisation already hosts the project.")))
        change.new_host_id, change.new_host = host.id, host.name_vi[:500]
    elif kind in rules.STOPPING:
        change.used_vnd = typed["used_vnd"]
        _check_used(session, award, change.used_vnd, required=False)


def _check_extension(session: Session, award: Award, days: int, this: int | None = None) -> None:
    """The caps on extensions, counting those approved before (not this one)."""
    before = queries.approved(session, award.id, ChangeKind.EXTENSION)
    refusal = rules.extension_refusal(
        approved_days=[c.extension_days or 0 for c in before if c.id != this],
        days=days,
        end=award.end_date,
        max_months=legal_settings.value(session, "changes.extension_max_months"),
        max_count=legal_settings.value(session, "changes.extension_max_count"),
    )
    if refusal is not None:
        _refuse(refusal)


def _year_lines(session: Session, award_id: int, year: int | None) -> dict[str, AwardBudgetLine]:
    return {
        line.category: line
        for line in session.exec(
            select(AwardBudgetLine).where(
                AwardBudgetLine.award_id == award_id,
                AwardBudgetLine.fiscal_year == year,
                AwardBudgetLine.source == "state",
            )
        ).all()
    }


def _check_move(session: Session, change: ChangeRequest) -> None:
    lines = _year_lines(session, change.award_id, change.move_year)
    violation = rules.budget_move_violation(
        {c: line.amount_vnd for c, line in lines.items()},
        change.from_category,
        change.to_category,
        change.amount_vnd,
    )
    if violation is not None:
        _refuse(violation)


def _within_limit(session: Session, change: ChangeRequest) -> bool:
    line = _year_lines(session, change.award_id, change.move_year)[change.from_category]
    share = legal_settings.value(session, "changes.budget_move_share")
    return rules.within_limit(line.amount_vnd, change.amount_vnd or 0, share)


def _check_used(session: Session, award: Award, used: int | None, *, required: bool) -> None:
    if used is None and not required:
        return
    if used is None or not 0 <= used <= disbursed_in(session, award):
        _refuse(
            Violation(
                "used_vnd",
                N_("Funds used lie between 0 and the amount disbursed (%(disbursed_vnd)s)."),
                {"disbursed_vnd": disbursed_in(session, award)},
            )
        )


def decide_change(
    session: Session,
    *,
    actor: User,
    change_id: int,
    approve: bool,
    note: str = "",
    used_vnd: int | None = None,
) -> ChangeRequest:
    """The manager approves (the change takes effect and becomes the contract's next
    annex) or refuses a pending request."""
    change = session.get(ChangeRequest, change_id)
    if change is None:
        raise NotFound(N_("No such request."))
    award, proposal = managed_project(session, award_id=change.award_id, actor=actor)
    before = CHANGE.move(change, ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED)
    change.decided_by, change.decided_at = actor.id, utcnow()
    change.decision_note = note.strip()[:5000]
    if approve:
        if not project_rules.is_running(award.status):
            raise InvalidTransition(AWARD.refusal)
        if change.kind in rules.STOPPING and used_vnd is not None:
            change.used_vnd = used_vnd
        _apply(session, actor, change, award, proposal)
    _audit_decision(session, actor, change, before, "decide")
    session.add(change)
    session.flush()
    return change


def _apply(session, actor, change: ChangeRequest, award: Award, proposal: Proposal) -> None:
    """What the approved change does, then its annex."""
    facts: dict = {}
    if change.kind == ChangeKind.EXTENSION:
        _check_extension(session, award, change.extension_days or 0, change.id)
        award.end_date = award.end_date + timedelta(days=change.extension_days or 0)
        session.add(award)
        facts["end"] = award.end_date
    elif change.kind == ChangeKind.BUDGET_MOVE:
        _check_move(session, change)
        _move_budget(session, change)
        facts.update(
            amount=change.amount_vnd,
            source=change.from_category,
            target=change.to_category,
            year=change.move_year,
        )
    elif change.kind == ChangeKind.PI_CHANGE:
        assert change.new_pi_id is not None, "checked when the change was requested"
        change.old_pi_id, proposal.pi_id = proposal.pi_id, change.new_pi_id
        session.add(proposal)
        facts["name"] = session.get_one(User, change.new_pi_id).name
        audit.record(
            session,
            actor_id=actor.id,
            object_type="proposal",
            object_id=proposal.id,
            action="change_pi",
            from_state=str(change.old_pi_id),
            to_state=str(change.new_pi_id),
        )
    elif change.kind == ChangeKind.HOST_CHANGE:
        # the project moves to the new host: its officers see it, the old host's no longer do
        change.old_host_id, proposal.host_id = proposal.host_id, change.new_host_id
        session.add(proposal)
        facts["host"] = change.new_host
        audit.record(
            session,
            actor_id=actor.id,
            object_type="proposal",
            object_id=proposal.id,
            action="change_host",
            from_state=str(change.old_host_id or ""),
            to_state=str(change.new_host_id),
        )
    elif change.kind in rules.STOPPING:
        _check_used(session, award, change.used_vnd, required=True)
        co.stop_project(
            session,
            actor=actor,
            award_id=award.id,
            used_vnd=change.used_vnd or 0,
            reason=change.reason,
        )
        money.cancel_outstanding(session, actor=actor, award_id=award.id, reason=change.kind)
    numbers = session.exec(
        select(ChangeRequest.annex_number).where(ChangeRequest.award_id == award.id)
    ).all()
    change.annex_number = rules.next_annex(numbers)
    change.annex_text = change.decision_note or rules.annex_summary(change.kind, **facts)
    session.add(change)


def _move_budget(session: Session, change: ChangeRequest) -> None:
    lines = _year_lines(session, change.award_id, change.move_year)
    amount = change.amount_vnd or 0
    source = lines[change.from_category]
    source.amount_vnd -= amount
    target = lines.get(change.to_category) or AwardBudgetLine(
        award_id=change.award_id,
        category=change.to_category,
        fiscal_year=change.move_year or source.fiscal_year,
        source="state",
        amount_vnd=0,
    )
    target.amount_vnd += amount
    session.add_all([source, target])
    session.flush()


def _audit_decision(session, actor, change: ChangeRequest, before: str, action: str) -> None:
    audit.record(
        session,
        actor_id=actor.id,
        object_type="change_request",
        object_id=change.id,
        action=action,
        from_state=before,
        to_state=change.status,
        detail=f"{change.kind}; annex {change.annex_number or '-'}",
    )
