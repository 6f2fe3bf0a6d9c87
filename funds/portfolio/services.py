"""Writing the portfolio ledger (used by awards, payments and imports).

Every write keeps `portfolio_total` in step: a single line by delta, a bulk import by a
set-based rebuild (`rebuild_portfolio_totals`).
"""

from sqlalchemy import delete, func, insert, literal
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from funds.clock import utcnow
from funds.errors import N_, RuleViolation
from funds.portfolio.models import NO_AREA, Basis, PortfolioLine, PortfolioTotal, Source
from funds.rules import check_amount
from funds.types import table_of


def record_portfolio_line(
    session: Session,
    *,
    project_code: str,
    title: str,
    fund_id: int,
    area_code: str | None,
    fiscal_year: int,
    basis: str,
    source: str,
    amount_vnd: int,
) -> PortfolioLine:
    """Insert or replace the project's line for that year, basis and source."""
    violations = check_amount(amount_vnd, field_name="amount_vnd")
    if violations:
        raise RuleViolation(violations[0].message, violations)
    if basis not in set(Basis) or source not in set(Source):
        raise RuleViolation(N_("Unknown basis or source."))
    line = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == project_code,
            PortfolioLine.fiscal_year == fiscal_year,
            PortfolioLine.basis == basis,
            PortfolioLine.source == source,
        )
    ).first()
    if line is None:
        line = PortfolioLine(
            project_code=project_code,
            fiscal_year=fiscal_year,
            basis=basis,
            source=source,
            fund_id=fund_id,
            amount_vnd=amount_vnd,
        )
    else:
        bump_total(session, line, -line.amount_vnd, -1)
    line.title, line.fund_id, line.area_code, line.amount_vnd = (
        title,
        fund_id,
        area_code,
        amount_vnd,
    )
    session.add(line)
    session.flush()
    bump_total(session, line, amount_vnd, 1)
    return line


def _insert_for(session: Session):
    name = session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert


def bump_total(session: Session, line: PortfolioLine, amount_vnd: int, count: int) -> None:
    """Add (or with negatives, take away) one line's amount in its total row."""
    table = table_of(PortfolioTotal)
    stmt = _insert_for(session)(table).values(
        fiscal_year=line.fiscal_year,
        basis=line.basis,
        source=line.source,
        fund_id=line.fund_id,
        area_key=line.area_code or NO_AREA,
        amount_vnd=amount_vnd,
        line_count=count,
        updated_at=utcnow(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["fiscal_year", "basis", "source", "fund_id", "area_key"],
        set_={
            "amount_vnd": table.c.amount_vnd + stmt.excluded.amount_vnd,
            "line_count": table.c.line_count + stmt.excluded.line_count,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    session.execute(stmt)


def rebuild_portfolio_totals(session: Session) -> int:
    """Recompute every total from the ledger in one GROUP BY; returns the rows written."""
    lines, totals = table_of(PortfolioLine).c, table_of(PortfolioTotal)
    area_key = func.coalesce(lines.area_code, literal(NO_AREA))
    grouped = sa_select(
        lines.fiscal_year,
        lines.basis,
        lines.source,
        lines.fund_id,
        area_key,
        func.sum(lines.amount_vnd),
        func.count(),
        literal(utcnow(), type_=totals.c.updated_at.type),
    ).group_by(lines.fiscal_year, lines.basis, lines.source, lines.fund_id, area_key)
    session.execute(delete(totals))
    session.execute(
        insert(totals).from_select(
            [
                "fiscal_year",
                "basis",
                "source",
                "fund_id",
                "area_key",
                "amount_vnd",
                "line_count",
                "updated_at",
            ],
            grouped,
        )
    )
    session.flush()
    return session.execute(sa_select(func.count()).select_from(totals)).scalar_one()
