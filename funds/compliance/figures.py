"""Reading the figures the rules and the dashboard need (read model, no mutation)."""

from fractions import Fraction
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from funds.calls.models import Fund
from funds.compliance.models import ComplianceRule, FiscalYear, FundAllocation
from funds.compliance.rules import BasisFigures, RuleSpec, YearFigures
from funds.portfolio.models import NO_AREA, PortfolioLine, PortfolioTotal


def rule_specs(session: Session) -> list[RuleSpec]:
    """Every rule row as a plain spec: floors first, then indicators, by id."""
    rows = session.exec(select(ComplianceRule)).all()
    rows = sorted(rows, key=lambda r: (r.kind != "floor", r.id))
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
        )
        for r in rows
    ]


def year_figures(session: Session) -> dict[int, YearFigures]:
    """Every fiscal year with budget figures or ledger lines, keyed by year."""
    t = PortfolioTotal
    stmt = select(  # type: ignore[call-overload]  # sqlmodel types up to four columns
        t.fiscal_year, t.basis, t.source, t.area_key, func.sum(t.amount_vnd)
    ).group_by(t.fiscal_year, t.basis, t.source, t.area_key)
    sums: dict[int, dict[str, dict[str, int]]] = {}
    for year, basis, source, area_key, amount in session.exec(stmt).all():
        strategic = area_key != NO_AREA
        cell = sums.setdefault(year, {}).setdefault(basis, {})
        cell[source] = cell.get(source, 0) + int(amount)
        if strategic:
            cell[f"{source}_strategic"] = cell.get(f"{source}_strategic", 0) + int(amount)
    budgets = {fy.fiscal_year: fy for fy in session.exec(select(FiscalYear)).all()}
    return {
        year: _year(year, budgets.get(year), sums.get(year, {}))
        for year in sorted(set(sums) | set(budgets))
    }


def _year(year: int, fy: FiscalYear | None, sums: dict) -> YearFigures:
    bases = {
        b: BasisFigures(
            state_strategic=c.get("state_strategic", 0),
            state_total=c.get("state", 0),
            nonstate_total=c.get("nonstate", 0),
        )
        for b, c in sums.items()
    }
    if fy is None:
        return YearFigures(year, bases=bases)
    return YearFigures(
        year, fy.total_state_budget_vnd, fy.stidx_budget_vnd, fy.st_budget_vnd, bases=bases
    )


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
        for m in (FiscalYear, PortfolioTotal, ComplianceRule, FundAllocation)
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
        conds.append(col(L.area_code).is_not(None) if strategic else col(L.area_code).is_(None))
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
