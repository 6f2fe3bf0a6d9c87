"""Reading the figures the rules and the dashboard need (read model, no mutation)."""

from fractions import Fraction
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from funds.calls.models import Fund
from funds.compliance.models import (
    BudgetEstimate,
    ComplianceRule,
    FiscalYear,
    FundAllocation,
    NationalStatistics,
)
from funds.compliance.rules import BasisFigures, Budget, RuleSpec, Settings, YearFigures
from funds.legal import settings as legal_settings
from funds.legal.models import LegalInstrument, LegalSetting
from funds.portfolio.models import NO_AREA, PortfolioLine, PortfolioTotal
from funds.taxonomy.models import StrategicTechnology

KIND_NAMES = {
    "law": "Law",
    "resolution": "Resolution",
    "decree": "Decree",
    "decision": "Decision",
    "circular": "Circular",
}


def citation(instrument: LegalInstrument | None, article: str = "") -> str:
    """ "Resolution 57-NQ/TW §III.3": the instrument's kind and number, then the article."""
    if instrument is None:
        return article
    name = f"{KIND_NAMES.get(instrument.kind, instrument.kind.title())} {instrument.number}"
    return f"{name} {article}".strip()


def instruments(session: Session) -> dict[str, LegalInstrument]:
    return {i.code: i for i in session.exec(select(LegalInstrument)).all()}


def rule_specs(session: Session) -> list[RuleSpec]:
    """Every rule row as a plain spec with its citation: floors first, then indicators."""
    rows = session.exec(select(ComplianceRule)).all()
    rows = sorted(rows, key=lambda r: (r.kind != "floor", r.effective_from or 0, r.id))
    laws = instruments(session)
    return [
        RuleSpec(
            id=r.id,
            metric=r.metric,
            kind=r.kind,
            threshold=Fraction(r.threshold) if r.threshold else None,
            strict=r.strict,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            source=r.source,
            instrument=r.instrument_code,
            legal_basis=citation(laws.get(r.instrument_code or ""), r.article) or r.source,
        )
        for r in rows
    ]


def rule_settings(session: Session) -> Settings:
    """The legal settings the rules read, as stored by an administrator or by default."""
    return Settings(
        strategic_base=legal_settings.value(session, "compliance.strategic_share_base"),
        coverage_warning_below=legal_settings.value(session, "compliance.coverage_warning_below"),
    )


def strategic_ranges(session: Session) -> dict[str, StrategicTechnology]:
    return {a.code: a for a in session.exec(select(StrategicTechnology)).all()}


def year_figures(session: Session) -> dict[int, YearFigures]:
    """Every fiscal year with budget figures or ledger lines, keyed by year. A ledger line
    is strategic when its area is on the strategic list in force for the line's year."""
    t = PortfolioTotal
    stmt = select(  # type: ignore[call-overload]  # sqlmodel types up to four columns
        t.fiscal_year, t.basis, t.source, t.area_key, func.sum(t.amount_vnd)
    ).group_by(t.fiscal_year, t.basis, t.source, t.area_key)
    areas = strategic_ranges(session)
    sums: dict[int, dict[str, dict[str, int]]] = {}
    for year, basis, source, area_key, amount in session.exec(stmt).all():
        area = areas.get(area_key) if area_key != NO_AREA else None
        strategic = area is not None and area.on_list_in(year)
        cell = sums.setdefault(year, {}).setdefault(basis, {})
        cell[source] = cell.get(source, 0) + int(amount)
        if strategic:
            cell[f"{source}_strategic"] = cell.get(f"{source}_strategic", 0) + int(amount)
    budgets = {fy.fiscal_year: fy for fy in session.exec(select(FiscalYear)).all()}
    estimates: dict[int, dict[str, Budget]] = {}
    for e in session.exec(select(BudgetEstimate)).all():
        estimates.setdefault(e.fiscal_year, {})[e.version] = Budget(
            e.total_state_budget_vnd, e.stidx_budget_vnd, e.st_budget_vnd
        )
    return {
        year: _year(year, budgets.get(year), sums.get(year, {}), estimates.get(year, {}))
        for year in sorted(set(sums) | set(budgets) | set(estimates))
    }


def _year(year: int, fy: FiscalYear | None, sums: dict, estimates: dict) -> YearFigures:
    bases = {
        b: BasisFigures(
            state_strategic=c.get("state_strategic", 0),
            state_total=c.get("state", 0),
            nonstate_total=c.get("nonstate", 0),
        )
        for b, c in sums.items()
    }
    if fy is None:
        return YearFigures(year, bases=bases, estimates=estimates)
    return YearFigures(
        year,
        fy.total_state_budget_vnd,
        fy.stidx_budget_vnd,
        fy.st_budget_vnd,
        bases=bases,
        estimates=estimates,
    )


def national_statistics(session: Session) -> dict[int, NationalStatistics]:
    return {n.fiscal_year: n for n in session.exec(select(NationalStatistics)).all()}


def totals_frame_rows(session: Session) -> list[tuple]:
    """(year, basis, source, fund_id, area_key, amount_vnd, line_count) rows of the totals."""
    t = PortfolioTotal
    return list(
        session.exec(
            select(  # type: ignore[call-overload]  # more than four columns
                t.fiscal_year, t.basis, t.source, t.fund_id, t.area_key, t.amount_vnd, t.line_count
            )
        ).all()
    )


def funds_by_id(session: Session) -> dict[int, Fund]:
    return {f.id: f for f in session.exec(select(Fund).order_by(Fund.code)).all()}


def allocations(session: Session) -> dict[tuple[int, int], int]:
    """{(fund_id, year): allocated đồng}."""
    return {
        (a.fund_id, a.fiscal_year): a.amount_vnd for a in session.exec(select(FundAllocation)).all()
    }


def data_timestamp(session: Session):
    """The last change to any figure the rules read (budget years, totals, rules)."""
    stamps = [
        session.exec(select(func.max(m.updated_at))).one()
        for m in (
            FiscalYear,
            BudgetEstimate,
            PortfolioTotal,
            ComplianceRule,
            FundAllocation,
            LegalInstrument,
            LegalSetting,
        )
    ]
    stamps = [s for s in stamps if s is not None]
    return max(stamps) if stamps else None


def lines_behind(
    session: Session,
    *,
    fiscal_year: int,
    basis: str | None = None,
    source: str | None = None,
    fund_id: int | None = None,
    area: str | None = None,
    strategic: bool | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[PortfolioLine], int, int]:
    """The ledger lines behind a number: (lines on this page, count, sum of amounts)."""
    L = PortfolioLine
    conds: list[Any] = [L.fiscal_year == fiscal_year]  # column expressions
    if basis:
        conds.append(L.basis == basis)
    if source:
        conds.append(L.source == source)
    if fund_id:
        conds.append(L.fund_id == fund_id)
    if area:
        conds.append(L.area_code == area)
    if strategic is not None:
        listed = [a.code for a in strategic_ranges(session).values() if a.on_list_in(fiscal_year)]
        on_list = col(L.area_code).in_(listed)
        conds.append(on_list if strategic else (col(L.area_code).is_(None) | ~on_list))
    count, total = session.exec(
        select(func.count(), func.coalesce(func.sum(L.amount_vnd), 0)).where(*conds)
    ).one()
    rows = session.exec(
        select(L)
        .where(*conds)
        .order_by(L.project_code, L.basis, L.source)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(count), int(total)
