"""A slate's effect before a funding decision: each affected year, before and after.

Pure: `slate_impact(years, threshold, additions)`. The proposals' amounts are counted as
committed, state-source money in the fiscal year of their call's closing date (Vietnam
time), in the proposal's strategic area (none counts as non-strategic).
"""

from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from sqlmodel import Session, col, select

from funds.calls.models import Call
from funds.clock import to_local
from funds.compliance import figures
from funds.compliance.rules import YearFigures
from funds.proposals.models import BudgetLine, Proposal, ProposalStatus

RULE_ID = "strategic_share_of_st_budget"
BASIS = "committed"


@dataclass(frozen=True)
class Addition:
    """One proposal's money as the slate would commit it."""

    proposal_id: int
    fiscal_year: int
    amount_vnd: int
    strategic: bool


@dataclass(frozen=True)
class YearImpact:
    """One year's strategic share (committed, state) and headroom, before and after."""

    fiscal_year: int
    st_budget_vnd: int | None
    added_vnd: int
    added_strategic_vnd: int
    share_before: Fraction | None
    share_after: Fraction | None
    headroom_before_vnd: int | None  # strategic amount above the floor (negative: below)
    headroom_after_vnd: int | None
    uncommitted_after_vnd: int | None  # state S&T budget not yet committed, after the slate
    below_floor_after: bool  # the floor fails after the slate, or cannot be checked

    @property
    def shortfall_after_vnd(self) -> int:
        return max(-(self.headroom_after_vnd or 0), 0)


def _headroom(strategic: int, st_budget: int, threshold: Fraction) -> int:
    """Strategic đồng above the floor (the floor rounded up to the đồng); negative below."""
    return strategic - ceil(threshold * st_budget)


def year_impact(year: YearFigures, threshold: Fraction, added: list[Addition]) -> YearImpact:
    """Before and after for one year."""
    total = sum(a.amount_vnd for a in added)
    strategic = sum(a.amount_vnd for a in added if a.strategic)
    b = year.basis(BASIS)
    st = year.st_budget_vnd
    if not st:
        return YearImpact(
            year.fiscal_year, st, total, strategic, None, None, None, None, None, True
        )
    after = b.state_strategic + strategic
    return YearImpact(
        year.fiscal_year,
        st,
        total,
        strategic,
        Fraction(b.state_strategic, st),
        Fraction(after, st),
        _headroom(b.state_strategic, st, threshold),
        _headroom(after, st, threshold),
        st - b.state_total - total,
        Fraction(after, st) < threshold,
    )


def slate_impact(
    years: dict[int, YearFigures], threshold: Fraction, additions: list[Addition]
) -> list[YearImpact]:
    """Each affected year's impact, by year; a year without budget figures is flagged."""
    by_year: dict[int, list[Addition]] = {}
    for a in additions:
        by_year.setdefault(a.fiscal_year, []).append(a)
    return [
        year_impact(years.get(y) or YearFigures(y), threshold, by_year[y]) for y in sorted(by_year)
    ]


def needs_acknowledgement(impacts: list[YearImpact]) -> list[int]:
    """The years a slate leaves below the floor (or unverifiable): these need an
    explicit, logged acknowledgement before the decision."""
    return [i.fiscal_year for i in impacts if i.below_floor_after]


def candidate_proposals(
    session: Session, *, fund_ids: Collection[int] | None
) -> list[tuple[Proposal, Call]]:
    """Submitted proposals a manager may put in a slate, with their call: those of the
    funds they manage (fund_ids), or of every fund with None (a check across funds)."""
    stmt = (
        select(Proposal, Call)
        .join(Call, col(Call.id) == Proposal.call_id)
        .where(Proposal.status == ProposalStatus.SUBMITTED)
        .order_by(col(Proposal.id))
    )
    if fund_ids is not None:
        stmt = stmt.where(col(Call.fund_id).in_(list(fund_ids)))
    return list(session.exec(stmt).all())


def additions_for(
    rows: list[tuple[Proposal, Call]], budgets: dict[int, dict[int, int]] | None = None
) -> list[Addition]:
    """Each proposal's budget by fiscal year (state money); a proposal without a budget table
    counts its requested amount in its call's closing fiscal year."""
    budgets = budgets or {}
    out = []
    for p, c in rows:
        by_year = budgets.get(p.id) or {to_local(c.closes_at).year: p.requested_vnd}
        out += [
            Addition(p.id, year, amount, p.area_code is not None)
            for year, amount in sorted(by_year.items())
        ]
    return out


def budgets_by_year(session: Session, proposal_ids: list[int]) -> dict[int, dict[int, int]]:
    """{proposal: {fiscal year: đồng}} from the proposals' budget tables."""
    found: dict[int, dict[int, int]] = {}
    for line in session.exec(
        select(BudgetLine).where(col(BudgetLine.proposal_id).in_(proposal_ids))
    ):
        years = found.setdefault(line.proposal_id, {})
        years[line.fiscal_year] = years.get(line.fiscal_year, 0) + line.amount_vnd
    return found


def impact_of(
    session: Session, proposal_ids: list[int], *, fund_ids: Collection[int] | None
) -> tuple[list, list[YearImpact]]:
    """(the chosen submitted proposals with calls, their impact) for a slate of ids, among
    the proposals of fund_ids (see candidate_proposals)."""
    wanted = set(proposal_ids)
    rows = [r for r in candidate_proposals(session, fund_ids=fund_ids) if r[0].id in wanted]
    specs = {s.id: s for s in figures.rule_specs(session)}
    threshold = specs[RULE_ID].threshold if RULE_ID in specs else None
    if threshold is None:
        threshold = Fraction(15, 100)
    budgets = budgets_by_year(session, [p.id for p, _c in rows])
    return rows, slate_impact(
        figures.year_figures(session), threshold, additions_for(rows, budgets)
    )
