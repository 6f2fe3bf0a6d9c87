"""Reads of an award's money: what was disbursed, the ledger of movements with its running
balance, the fund's allocation, the settlement sheet and the contract's balance."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from funds.calls.models import Call
from funds.clock import to_local
from funds.compliance.models import FundAllocation
from funds.portfolio.models import PortfolioTotal
from funds.projects.models import Award, AwardBudgetLine, Closeout
from funds.projects.money import rules
from funds.projects.money.models import Movement, MovementKind, MovementStatus, Settlement
from funds.projects.money.models import SettlementLine as SettledLine
from funds.projects.regimes.rules import LUMP_SUM, Outcome
from funds.proposals.models import CounterpartFunding, Proposal


def movements(session: Session, award_id: int) -> list[Movement]:
    """The award's movements, in the order they were planned or made."""
    return list(
        session.exec(
            select(Movement).where(Movement.award_id == award_id).order_by(col(Movement.id))
        ).all()
    )


def paid(session: Session, award_id: int, *, until: datetime | None = None) -> list[Movement]:
    rows = [m for m in movements(session, award_id) if m.status == MovementStatus.PAID]
    return [m for m in rows if until is None or (m.paid_at is not None and m.paid_at <= until)]


def disbursed_in(session: Session, award: Award, year: int | None = None) -> int:
    """What the fund has paid the host net of refunds received (in a fiscal year, or in all):
    the ledger's basis *disbursed*."""
    net = rules.net_disbursed_by_year(
        rules.Paid(m.kind, m.amount_vnd, m.fiscal_year) for m in paid(session, award.id)
    )
    return sum(net.values()) if year is None else net.get(year, 0)


@dataclass(frozen=True)
class LedgerRow:
    """A movement on the project page, with what the host holds after it."""

    movement: Movement
    balance_vnd: int
    outstanding: bool


def ledger(session: Session, award_id: int) -> list[LedgerRow]:
    rows = movements(session, award_id)
    after = rules.running_balance((m.kind, m.status, m.amount_vnd) for m in rows)
    return [
        LedgerRow(m, b, rules.is_outstanding(m.status)) for m, b in zip(rows, after, strict=True)
    ]


def fund_of(session: Session, award: Award) -> int:
    proposal = session.get_one(Proposal, award.proposal_id)
    return session.get_one(Call, proposal.call_id).fund_id


def allocation_checks(
    session: Session, fund_id: int, basis: str, adding: dict[int, int]
) -> list[rules.AllocationCheck]:
    """The fund's allocation in each year of `adding` against its state money already on
    `basis` in the ledger (committed for a contract, disbursed for a payment)."""
    years = list(adding)
    allocated = {
        a.fiscal_year: a.amount_vnd
        for a in session.exec(
            select(FundAllocation).where(
                FundAllocation.fund_id == fund_id, col(FundAllocation.fiscal_year).in_(years)
            )
        ).all()
    }
    used = dict(
        session.exec(
            select(PortfolioTotal.fiscal_year, func.sum(PortfolioTotal.amount_vnd))
            .where(
                PortfolioTotal.fund_id == fund_id,
                PortfolioTotal.basis == basis,
                PortfolioTotal.source == "state",
                col(PortfolioTotal.fiscal_year).in_(years),
            )
            .group_by(col(PortfolioTotal.fiscal_year))
        ).all()
    )
    return rules.allocation_checks(allocated, {y: int(v) for y, v in used.items()}, adding)


def state_committed(session: Session, award_id: int) -> int:
    """The state money of the contract (its approved budget lines of source state)."""
    return sum(
        line.amount_vnd for line in budget_lines(session, award_id) if line.source == "state"
    )


def budget_lines(session: Session, award_id: int) -> list[AwardBudgetLine]:
    return list(
        session.exec(
            select(AwardBudgetLine)
            .where(AwardBudgetLine.award_id == award_id)
            .order_by(col(AwardBudgetLine.fiscal_year), AwardBudgetLine.source, "category")
        ).all()
    )


def settlement_of(session: Session, award_id: int) -> Settlement | None:
    return session.exec(select(Settlement).where(Settlement.award_id == award_id)).first()


def settlement_lines(session: Session, settlement: Settlement | None) -> list[SettledLine]:
    if settlement is None:
        return []
    return list(
        session.exec(
            select(SettledLine)
            .where(SettledLine.settlement_id == settlement.id)
            .order_by(col(SettledLine.fiscal_year), SettledLine.source, "category")
        ).all()
    )


def closeout_of(session: Session, award_id: int) -> Closeout | None:
    return session.exec(select(Closeout).where(Closeout.award_id == award_id)).first()


def balance(session: Session, award: Award) -> rules.Balance | None:
    """The contract's balance once the project is closed (None before its closeout)."""
    closeout = closeout_of(session, award.id)
    if closeout is None or closeout.closed_at is None:
        return None
    rows = paid(session, award.id)
    out = sum(m.amount_vnd for m in rows if m.kind in rules.OUTGOING)
    back = sum(m.amount_vnd for m in rows if m.kind == MovementKind.REFUND)
    at_close = sum(
        rules.signed(m.kind, m.amount_vnd)
        for m in paid(session, award.id, until=closeout.closed_at)
    )
    settled = settlement_lines(session, settlement_of(session, award.id))
    spent = (
        sum(line.spent_vnd for line in settled if line.source == "state")
        if settled
        else closeout.used_vnd or 0
    )
    used = closeout.used_vnd or 0
    return rules.Balance(
        paid_out_vnd=out,
        refunded_vnd=back,
        spent_vnd=spent,
        recovered_vnd=rules.recovered_beyond_unused(closeout.refund_vnd or 0, at_close, used),
        savings_kept=award.funding_mode == LUMP_SUM and closeout.outcome == Outcome.SUCCESS,
    )


@dataclass(frozen=True)
class CounterpartRow:
    """Counterpart (non-state) money of a fiscal year: committed in the contract, by source
    in the proposal, and spent at settlement."""

    fiscal_year: int
    committed_vnd: int
    sources: str
    spent_vnd: int | None


def counterpart(session: Session, award: Award) -> list[CounterpartRow]:
    """The host's and partners' own contributions per year, committed against spent."""
    committed: dict[int, int] = {}
    for line in budget_lines(session, award.id):
        if line.source == "nonstate":
            committed[line.fiscal_year] = committed.get(line.fiscal_year, 0) + line.amount_vnd
    sources: dict[int, list[str]] = {}
    for c in session.exec(
        select(CounterpartFunding).where(CounterpartFunding.proposal_id == award.proposal_id)
    ).all():
        year = c.fiscal_year or award.start_date.year
        sources.setdefault(year, []).append(c.source)
    spent: dict[int, int] = {}
    for settled_line in settlement_lines(session, settlement_of(session, award.id)):
        if settled_line.source == "nonstate":
            year = settled_line.fiscal_year
            spent[year] = spent.get(year, 0) + settled_line.spent_vnd
    settled = bool(spent) or settlement_of(session, award.id) is not None
    return [
        CounterpartRow(
            y, committed.get(y, 0), ", ".join(sources.get(y, [])), spent.get(y) if settled else None
        )
        for y in sorted(set(committed) | set(sources))
    ]


def year_of(instant: datetime) -> int:
    """The fiscal year of an instant: the calendar year in Vietnam."""
    return to_local(instant).year


def due_tranche_ids(session: Session, award: Award, today: date) -> frozenset[int]:
    """The outstanding tranches whose milestone is accepted or whose date has come."""
    from funds.projects.models import Milestone, MilestoneStatus

    accepted = {
        m.id
        for m in session.exec(
            select(Milestone).where(
                Milestone.award_id == award.id, Milestone.status == MilestoneStatus.ACCEPTED
            )
        ).all()
    }
    return frozenset(
        m.id
        for m in movements(session, award.id)
        if m.kind == MovementKind.TRANCHE
        and rules.is_outstanding(m.status)
        and (m.milestone_id in accepted or (m.due_on is not None and m.due_on <= today))
    )
