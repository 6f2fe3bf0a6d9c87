"""Use cases of an award's money; each movement is audited with who approved it and written
to the portfolio ledger on its basis (docs/contracts.md, Money):

- committed, state and nonstate, at signing (funds.projects.services.create_award);
- disbursed, state, on every payment and every refund received: paid − refunded per fiscal
  year (rules.net_disbursed_by_year), so the ledger never holds a negative line;
- disbursed, nonstate, at settlement: the counterpart money spent per year.
"""

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.clock import to_local, utcnow
from funds.errors import N_, InvalidTransition, NotFound, RuleViolation
from funds.legal import settings as legal_settings
from funds.notifications.services import notify
from funds.portfolio.models import PortfolioLine
from funds.portfolio.services import record_portfolio_line
from funds.projects import rules as project_rules
from funds.projects.models import Award, Milestone, MilestoneStatus
from funds.projects.money import queries, rules
from funds.projects.money.models import (
    Movement,
    MovementKind,
    MovementStatus,
    Payer,
    Settlement,
    SettlementLine,
)
from funds.projects.money.rules import MOVEMENT, SpentLine
from funds.projects.queries import report_periods
from funds.projects.regimes.rules import Rating
from funds.projects.services import managed_project
from funds.proposals.models import Proposal
from funds.rules import Violation


def _this_year() -> int:
    return to_local(utcnow()).year


def _audit(session, actor, movement: Movement, action: str, before: str | None, detail=""):
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        object_type="money_movement",
        object_id=movement.id,
        action=action,
        from_state=before,
        to_state=movement.status,
        detail=f"{movement.kind} {movement.amount_vnd}; {detail}".strip("; ")[:4000],
    )


def write_disbursed(session: Session, award: Award, proposal: Proposal) -> None:
    """The ledger's disbursed state money of the award, year by year: paid − refunded."""
    net = rules.net_disbursed_by_year(
        rules.Paid(m.kind, m.amount_vnd, m.fiscal_year) for m in queries.paid(session, award.id)
    )
    _write_years(session, award, proposal, net, "state")


def _write_years(session, award, proposal, figures: dict[int, int], source: str) -> None:
    known = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == award.contract_number,
            PortfolioLine.basis == "disbursed",
            PortfolioLine.source == source,
        )
    ).all()
    years = {line.fiscal_year: line.amount_vnd for line in known}
    fund_id = session.get_one(Call, proposal.call_id).fund_id
    for year in sorted(set(figures) | set(years)):
        amount = figures.get(year, 0)
        if years.get(year) != amount:
            record_portfolio_line(
                session,
                project_code=award.contract_number,
                title=proposal.title,
                fund_id=fund_id,
                area_code=proposal.area_code,
                fiscal_year=year,
                basis="disbursed",
                source=source,
                amount_vnd=amount,
            )


def refuse_over_allocation(
    session: Session, *, fund_id: int, basis: str, adding: dict[int, int], override: str
) -> None:
    """Refused, before anything is written, when a year's allocation would go negative and
    no reason is given."""
    refusal = rules.allocation_refusal(
        queries.allocation_checks(session, fund_id, basis, adding), override
    )
    if refusal is not None:
        raise RuleViolation(refusal.message, [refusal], **refusal.params)


def check_allocation(
    session: Session,
    *,
    actor: User,
    fund_id: int,
    basis: str,
    adding: dict[int, int],
    override: str,
    object_type: str,
    object_id: int,
) -> list[rules.AllocationCheck]:
    """The fund's allocation per year: refused when it would go negative, unless the manager
    gives a reason, which is audited with the figures."""
    refuse_over_allocation(session, fund_id=fund_id, basis=basis, adding=adding, override=override)
    checks = queries.allocation_checks(session, fund_id, basis, adding)
    for c in checks:
        if c.exceeded:
            audit.record(
                session,
                actor_id=actor.id,
                object_type=object_type,
                object_id=object_id,
                action="override_allocation",
                detail=(
                    f"fund {fund_id} {basis} {c.fiscal_year}: allocated {c.allocated_vnd}, "
                    f"used {c.used_vnd}, adding {c.adding_vnd}; {override.strip()}"
                ),
            )
    return checks


def _check_cap(session: Session, award: Award, amount: int) -> None:
    """The fund never pays out more than the contract's state money (net of refunds)."""
    committed = queries.state_committed(session, award.id)
    paid = queries.disbursed_in(session, award)
    if paid + amount > committed:
        raise RuleViolation(
            N_(
                "This payment would take the money paid to %(total_vnd)s, more than the "
                "contract's %(committed_vnd)s."
            ),
            [Violation("amount_vnd", N_("The payment is larger than what the contract leaves."))],
            total_vnd=paid + amount,
            committed_vnd=committed,
        )


def _precheck(session: Session, award: Award, amount: int, override: str) -> None:
    """The refusals of a payment, before anything is written: the contract's cap and the
    fund's allocation of this year (disbursed)."""
    _check_cap(session, award, amount)
    refuse_over_allocation(
        session,
        fund_id=queries.fund_of(session, award),
        basis="disbursed",
        adding={_this_year(): amount},
        override=override,
    )


def _pay(session, actor, award, proposal, movement: Movement, override: str) -> Movement:
    """Approve (if not yet) and pay an outgoing movement in this fiscal year: the contract's
    cap, the fund's allocation (disbursed), the ledger and the audit."""
    year = _this_year()
    _check_cap(session, award, movement.amount_vnd)
    check_allocation(
        session,
        actor=actor,
        fund_id=queries.fund_of(session, award),
        basis="disbursed",
        adding={year: movement.amount_vnd},
        override=override,
        object_type="money_movement",
        object_id=movement.id,
    )
    if movement.status != MovementStatus.APPROVED:
        _approve(session, actor, movement)
    before = MOVEMENT.move(movement, MovementStatus.PAID)
    movement.paid_at, movement.fiscal_year = utcnow(), year
    movement.allocation_override = override.strip()
    session.add(movement)
    session.flush()
    write_disbursed(session, award, proposal)
    _audit(session, actor, movement, "pay", before)
    session.flush()
    return movement


def _approve(session, actor, movement: Movement) -> None:
    before = MOVEMENT.move(movement, MovementStatus.APPROVED)
    movement.approved_by, movement.approved_at = actor.id, utcnow()
    session.add(movement)
    _audit(session, actor, movement, "approve", before)


def _new(session, award: Award, kind: str, amount: int, **fields) -> Movement:
    movement = Movement(
        award_id=award.id, kind=kind, amount_vnd=amount, fiscal_year=_this_year(), **fields
    )
    session.add(movement)
    session.flush()
    return movement


def _once(session: Session, award: Award, kind: str, message: str) -> None:
    if session.exec(
        select(Movement.id).where(
            Movement.award_id == award.id,
            Movement.kind == kind,
            Movement.status != MovementStatus.CANCELLED,
        )
    ).first():
        raise InvalidTransition(message)


def pay_advance(
    session: Session, *, actor: User, award_id: int, allocation_override: str = ""
) -> Movement:
    """The advance (tạm ứng) once the contract is in force: the fund's share
    (money.advance_share) of the contract's state money, paid once."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    if not project_rules.is_running(award.status):
        raise InvalidTransition(N_("An advance is paid while the contract is in force."))
    _once(session, award, MovementKind.ADVANCE, N_("The advance has already been paid."))
    share = legal_settings.value(session, "money.advance_share")
    amount = rules.advance_amount(queries.state_committed(session, award.id), share)
    if amount <= 0:
        raise RuleViolation(N_("The contract has no state money to advance."))
    _precheck(session, award, amount, allocation_override)
    movement = _new(session, award, MovementKind.ADVANCE, amount, reason=f"{share}")
    _audit(session, actor, movement, "plan", None)
    return _pay(session, actor, award, proposal, movement, allocation_override)


def plan_tranche(
    session: Session,
    *,
    actor: User,
    award_id: int,
    amount_vnd: int,
    milestone_id: int | None = None,
    due_on: date | None = None,
) -> Movement:
    """A tranche on the payment schedule, tied to a milestone of the award or to a date."""
    award, _proposal = managed_project(session, award_id=award_id, actor=actor)
    if not project_rules.is_running(award.status):
        raise InvalidTransition(project_rules.AWARD.refusal)
    milestone = session.get(Milestone, milestone_id) if milestone_id else None
    if milestone_id and (milestone is None or milestone.award_id != award.id):
        raise NotFound(N_("No such milestone."))
    if amount_vnd <= 0 or (milestone is None) == (due_on is None):
        raise RuleViolation(
            N_("A tranche has an amount and is tied to a milestone or to a date."),
            [Violation("amount_vnd", N_("Give the amount and a milestone or a date."))],
        )
    when = milestone.due_date if milestone else due_on
    movement = _new(
        session,
        award,
        MovementKind.TRANCHE,
        amount_vnd,
        milestone_id=milestone_id,
        due_on=due_on,
    )
    movement.fiscal_year = when.year  # type: ignore[union-attr]
    session.add(movement)
    _audit(session, actor, movement, "plan", None)
    session.flush()
    return movement


def _load_movement(session: Session, movement_id: int, actor: User):
    movement = session.get(Movement, movement_id)
    if movement is None:
        raise NotFound(N_("No such payment."))
    award, proposal = managed_project(session, award_id=movement.award_id, actor=actor)
    return movement, award, proposal


def _tranche_due(session: Session, movement: Movement, today: date) -> bool:
    if movement.milestone_id is not None:
        milestone = session.get_one(Milestone, movement.milestone_id)
        return milestone.status == MilestoneStatus.ACCEPTED
    return movement.due_on is not None and today >= movement.due_on


def _held(session: Session, award: Award, today: date) -> bool:
    return project_rules.payment_held(report_periods(session, award, today))


def release_tranche(
    session: Session,
    *,
    actor: User,
    movement_id: int,
    allocation_override: str = "",
    today: date | None = None,
) -> Movement:
    """A manager releases a tranche whose milestone is accepted (or whose date has come),
    unless payments are held by an overdue report."""
    movement, award, proposal = _load_movement(session, movement_id, actor)
    today = today or to_local(utcnow()).date()
    if movement.kind != MovementKind.TRANCHE or not rules.is_outstanding(movement.status):
        raise InvalidTransition(MOVEMENT.refusal)
    if not project_rules.is_running(award.status):
        raise InvalidTransition(project_rules.AWARD.refusal)
    if not _tranche_due(session, movement, today):
        raise RuleViolation(
            N_("This tranche is due once its milestone is accepted or its date has come.")
        )
    if _held(session, award, today):
        raise RuleViolation(
            N_("Payments are held: a reporting period past its due date has no accepted report.")
        )
    return _pay(session, actor, award, proposal, movement, allocation_override)


def release_due_tranches(session: Session, *, actor: User, award_id: int, today: date) -> None:
    """On an accepted progress report: the tranches of accepted milestones are approved and
    paid, or held while a period past its due date lacks its accepted report. A tranche the
    contract's cap or the fund's allocation stops stays approved, for the manager to release
    (with a reason to go past the allocation)."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    accepted = select(Milestone.id).where(
        Milestone.award_id == award.id, Milestone.status == MilestoneStatus.ACCEPTED
    )
    due = session.exec(
        select(Movement).where(
            Movement.award_id == award.id,
            Movement.kind == MovementKind.TRANCHE,
            col(Movement.status).in_([MovementStatus.PLANNED, MovementStatus.HELD]),
            col(Movement.milestone_id).in_(accepted),
        )
    ).all()
    held = _held(session, award, today)
    for movement in due:
        if held:
            if movement.status == MovementStatus.PLANNED:
                before = MOVEMENT.move(movement, MovementStatus.HELD)
                session.add(movement)
                _audit(session, actor, movement, "hold", before, "an overdue report")
                notify(  # the PI is told why the money does not come (after commit)
                    session,
                    kind="payment_held",
                    user_id=proposal.pi_id,
                    object_type="award",
                    object_id=award.id,
                    params={
                        "contract": award.contract_number,
                        "reason_msg": N_(
                            "a reporting period past its due date has no accepted report"
                        ),
                    },
                    actor_id=actor.id,
                )
            continue
        try:  # the checks come before any change, so a refusal leaves nothing half done
            _pay(session, actor, award, proposal, movement, "")
        except RuleViolation:
            _approve(session, actor, movement)
    session.flush()


def record_final_payment(
    session: Session, *, actor: User, award_id: int, amount_vnd: int, allocation_override: str = ""
) -> Movement:
    """The final payment after acceptance: the closeout's rating passed."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    closeout = queries.closeout_of(session, award.id)
    if closeout is None or closeout.closed_at is None or closeout.rating == Rating.FAIL:
        raise InvalidTransition(
            N_("The final payment follows an acceptance that passed (excellent or pass).")
        )
    _once(session, award, MovementKind.FINAL_PAYMENT, N_("The final payment has been made."))
    _positive(amount_vnd)
    _precheck(session, award, amount_vnd, allocation_override)
    movement = _new(session, award, MovementKind.FINAL_PAYMENT, amount_vnd)
    _audit(session, actor, movement, "plan", None)
    return _pay(session, actor, award, proposal, movement, allocation_override)


def _positive(amount: int) -> None:
    if not isinstance(amount, int) or amount <= 0:
        raise RuleViolation(
            N_("Give an amount in whole đồng."),
            [Violation("amount_vnd", N_("Give an amount in whole đồng."))],
        )


def _closed(session: Session, award: Award) -> rules.Balance:
    balance = queries.balance(session, award)
    if balance is None:
        raise InvalidTransition(N_("This step follows the project's closeout."))
    return balance


def settle_accounts(
    session: Session,
    *,
    actor: User,
    award_id: int,
    lines: Sequence[SpentLine],
    note: str = "",
) -> Settlement:
    """The settlement (quyết toán): what was spent on each approved budget line, state and
    counterpart, a difference beyond money.settlement_tolerance explained; the counterpart
    spent enters the ledger as disbursed, nonstate, by year. Revisable until liquidation."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    _closed(session, award)
    _not_liquidated(session, award)
    approved = {
        (b.category, b.fiscal_year, b.source): b.amount_vnd
        for b in queries.budget_lines(session, award.id)
    }
    tolerance = legal_settings.value(session, "money.settlement_tolerance")
    violations = rules.settlement_violations(approved, lines, tolerance)
    if violations:
        raise RuleViolation(N_("The settlement is not complete: see the marked lines."), violations)
    settlement = queries.settlement_of(session, award.id) or Settlement(award_id=award.id)
    before = "settled" if settlement.id else None
    settlement.settled_by, settlement.settled_at, settlement.note = actor.id, utcnow(), note
    session.add(settlement)
    session.flush()
    for old in queries.settlement_lines(session, settlement):
        session.delete(old)
    session.flush()
    for line in lines:
        key = (line.category, line.fiscal_year, line.source)
        session.add(
            SettlementLine(
                settlement_id=settlement.id,
                category=line.category,
                fiscal_year=line.fiscal_year,
                source=line.source,
                approved_vnd=approved[key],
                spent_vnd=line.spent_vnd,
                explanation=line.explanation.strip(),
            )
        )
    counterpart: dict[int, int] = {}
    for line in lines:
        if line.source == "nonstate":
            counterpart[line.fiscal_year] = counterpart.get(line.fiscal_year, 0) + line.spent_vnd
    _write_years(session, award, proposal, counterpart, "nonstate")
    spent = sum(line.spent_vnd for line in lines if line.source == "state")
    audit.record(
        session,
        actor_id=actor.id,
        object_type="money_settlement",
        object_id=settlement.id,
        action="settle",
        from_state=before,
        to_state="settled",
        detail=f"award {award.id}: state spent {spent}; counterpart {sum(counterpart.values())}",
    )
    session.flush()
    return settlement


def _not_liquidated(session: Session, award: Award) -> None:
    _once(session, award, MovementKind.LIQUIDATION, N_("The contract has been liquidated."))


def record_refund(
    session: Session,
    *,
    actor: User,
    award_id: int,
    amount_vnd: int,
    payer: str = Payer.HOST,
    reason: str = "",
) -> Movement:
    """A refund received from the host or the PI, at most what the balance says is owed
    (the closeout's refund, adjusted by the settlement)."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    balance = _closed(session, award)
    _not_liquidated(session, award)
    _positive(amount_vnd)
    if payer not in set(Payer):
        raise RuleViolation(N_("Say who returns the money: the host or the PI."))
    if amount_vnd > balance.due_vnd:
        raise RuleViolation(
            N_("The refund is larger than what is owed (%(due_vnd)s)."),
            [Violation("amount_vnd", N_("The refund is larger than what is owed."))],
            due_vnd=max(balance.due_vnd, 0),
        )
    movement = _new(session, award, MovementKind.REFUND, amount_vnd, payer=payer, reason=reason)
    _approve(session, actor, movement)
    before = MOVEMENT.move(movement, MovementStatus.PAID)
    movement.paid_at = utcnow()
    session.add(movement)
    session.flush()
    write_disbursed(session, award, proposal)
    _audit(session, actor, movement, "receive", before, payer)
    session.flush()
    return movement


def pay_settlement_adjustment(
    session: Session, *, actor: User, award_id: int, amount_vnd: int, allocation_override: str = ""
) -> Movement:
    """The fund pays what the settlement finds it still owes (a negative balance)."""
    award, proposal = managed_project(session, award_id=award_id, actor=actor)
    balance = _closed(session, award)
    _not_liquidated(session, award)
    if queries.settlement_of(session, award.id) is None:
        raise InvalidTransition(N_("Settle the accounts first."))
    _positive(amount_vnd)
    if amount_vnd > -balance.due_vnd:
        raise RuleViolation(
            N_("The fund owes %(owed_vnd)s; the adjustment cannot be larger."),
            [Violation("amount_vnd", N_("The adjustment is larger than what the fund owes."))],
            owed_vnd=max(-balance.due_vnd, 0),
        )
    _precheck(session, award, amount_vnd, allocation_override)
    movement = _new(session, award, MovementKind.SETTLEMENT_ADJUSTMENT, amount_vnd)
    _audit(session, actor, movement, "plan", None)
    return _pay(session, actor, award, proposal, movement, allocation_override)


def cancel_outstanding(session: Session, *, actor: User, award_id: int, reason: str) -> int:
    """Cancel the movements that will never be paid (a stop, a liquidation); how many."""
    award, _proposal = managed_project(session, award_id=award_id, actor=actor)
    count = 0
    for movement in queries.movements(session, award.id):
        if rules.is_outstanding(movement.status):
            before = MOVEMENT.move(movement, MovementStatus.CANCELLED)
            session.add(movement)
            _audit(session, actor, movement, "cancel", before, reason)
            count += 1
    session.flush()
    return count


def liquidate(session: Session, *, actor: User, award_id: int) -> Movement:
    """Liquidation (thanh lý) closes the contract: the project closed, the accounts settled
    and a balance of zero (refused with the figures otherwise); payments never made are
    cancelled."""
    award, _proposal = managed_project(session, award_id=award_id, actor=actor)
    _not_liquidated(session, award)
    balance = queries.balance(session, award)
    settled = queries.settlement_of(session, award.id) is not None
    refusal = rules.liquidation_refusal(balance, settled, balance is not None)
    if refusal is not None:
        raise RuleViolation(refusal.message, [refusal], **refusal.params)
    cancel_outstanding(session, actor=actor, award_id=award.id, reason="liquidation")
    movement = _new(session, award, MovementKind.LIQUIDATION, 0)
    _approve(session, actor, movement)
    before = MOVEMENT.move(movement, MovementStatus.PAID)
    movement.paid_at = utcnow()
    session.add(movement)
    _audit(session, actor, movement, "liquidate", before, "balance 0")
    session.flush()
    return movement
