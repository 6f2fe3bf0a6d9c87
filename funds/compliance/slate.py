"""A slate's effect before a funding decision: each affected year, before and after.

Pure: `slate_impact(years, floors, additions, base)`. The proposals' amounts are counted as
committed, state-source money in the fiscal years of their budget tables (else the year
their call closes, Vietnam time), in the proposal's strategic area (strategic when that area
is on the list in force for the year).

Resolution 57-NQ/TW §III.3 sets a floor for the whole year, not for each slate: early in a
year every slate leaves the share below 15%, because the base is the year's appropriation.
The danger is a slate after which the floor can no longer be reached this year: the state
S&T budget still uncommitted after the slate is smaller than the strategic money still
missing. Only then is a slate flagged (and needs a logged acknowledgement); otherwise the
manager sees how far the year is from the floor, as information.
"""

from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from math import ceil

from sqlmodel import Session, col, select

from funds.calls.models import Call
from funds.clock import to_local
from funds.compliance import figures
from funds.compliance.rules import RuleSpec, YearFigures
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
    """One year's strategic share (committed, state), before and after the slate, and
    whether the floor can still be reached with the money left uncommitted."""

    fiscal_year: int
    threshold: Fraction | None  # the floor in force that year (None: no floor that year)
    base_vnd: int | None  # the floor's base (see the strategic_share_base setting)
    added_vnd: int
    added_strategic_vnd: int
    share_before: Fraction | None
    share_after: Fraction | None
    headroom_before_vnd: int | None  # strategic amount above the floor (negative: below)
    headroom_after_vnd: int | None
    uncommitted_after_vnd: int | None  # the base not yet committed, after the slate

    @property
    def floor_in_force(self) -> bool:
        return self.threshold is not None

    @property
    def unverifiable(self) -> bool:
        """A floor is in force but the year has no budget figures to check it against."""
        return self.floor_in_force and not self.base_vnd

    @property
    def shortfall_after_vnd(self) -> int:
        """Strategic money still missing for the floor after the slate."""
        return max(-(self.headroom_after_vnd or 0), 0)

    @property
    def unreachable_after(self) -> bool:
        """After the slate, even committing every remaining đồng of the base to strategic
        research would not reach the floor this year."""
        if not self.floor_in_force or self.base_vnd is None or self.unverifiable:
            return False
        return (self.uncommitted_after_vnd or 0) < self.shortfall_after_vnd

    @property
    def below_floor_after(self) -> bool:
        """Information: the share is below the floor after the slate (not a flag)."""
        return self.shortfall_after_vnd > 0


def _headroom(strategic: int, base: int, threshold: Fraction) -> int:
    """Strategic đồng above the floor (the floor rounded up to the đồng); negative below."""
    return strategic - ceil(threshold * base)


def year_impact(
    year: YearFigures, threshold: Fraction | None, added: list[Addition], measure: str = "st"
) -> YearImpact:
    """Before and after for one year, against the floor in force (None: none that year)."""
    total = sum(a.amount_vnd for a in added)
    strategic = sum(a.amount_vnd for a in added if a.strategic)
    b = year.basis(BASIS)
    latest = year.latest()
    base = latest[1].line(measure) if latest else None
    if not base or threshold is None:
        return YearImpact(
            year.fiscal_year, threshold, base, total, strategic, None, None, None, None, None
        )
    after = b.state_strategic + strategic
    return YearImpact(
        year.fiscal_year,
        threshold,
        base,
        total,
        strategic,
        Fraction(b.state_strategic, base),
        Fraction(after, base),
        _headroom(b.state_strategic, base, threshold),
        _headroom(after, base, threshold),
        base - b.state_total - total,
    )


def floors_by_year(specs: list[RuleSpec], years) -> dict[int, Fraction | None]:
    """The strategic floor's threshold in force in each year (None where none is)."""
    found: dict[int, Fraction | None] = {}
    for y in years:
        found[y] = next(
            (s.threshold for s in specs if s.id == RULE_ID and s.applies_to(y)),
            None,
        )
    return found


def slate_impact(
    years: dict[int, YearFigures],
    floors: dict[int, Fraction | None] | Fraction,
    additions: list[Addition],
    measure: str = "st",
) -> list[YearImpact]:
    """Each affected year's impact, by year. `floors`: the threshold in force per year, or
    one threshold for every year."""
    by_year: dict[int, list[Addition]] = {}
    for a in additions:
        by_year.setdefault(a.fiscal_year, []).append(a)
    return [
        year_impact(
            years.get(y) or YearFigures(y),
            floors.get(y) if isinstance(floors, dict) else floors,
            by_year[y],
            measure,
        )
        for y in sorted(by_year)
    ]


def needs_acknowledgement(impacts: list[YearImpact]) -> list[int]:
    """The years after whose slate the floor can no longer be reached, or a floor in force
    cannot be checked for want of budget figures: these need an explicit, logged
    acknowledgement before the decision."""
    return [i.fiscal_year for i in impacts if i.unreachable_after or i.unverifiable]


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
    specs = figures.rule_specs(session)
    budgets = budgets_by_year(session, [p.id for p, _c in rows])
    additions = strategic_by_list(session, additions_for(rows, budgets))
    floors = floors_by_year(specs, {a.fiscal_year for a in additions})
    measure = figures.rule_settings(session).strategic_base
    return rows, slate_impact(figures.year_figures(session), floors, additions, measure)


def strategic_by_list(session: Session, additions: list[Addition]) -> list[Addition]:
    """An addition is strategic only when its area is on the list in force for its year."""
    areas = figures.strategic_ranges(session)
    area_of = {
        p.id: p.area_code
        for p in session.exec(
            select(Proposal).where(col(Proposal.id).in_({a.proposal_id for a in additions}))
        ).all()
    }
    out = []
    for a in additions:
        area = areas.get(area_of.get(a.proposal_id) or "")
        listed = area is not None and area.on_list_in(a.fiscal_year)
        out.append(Addition(a.proposal_id, a.fiscal_year, a.amount_vnd, a.strategic and listed))
    return out
