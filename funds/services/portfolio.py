"""Writing the portfolio ledger (used by awards, payments and imports)."""

from sqlmodel import Session, select

from funds.errors import N_, RuleViolation
from funds.models.portfolio import Basis, PortfolioLine, Source
from funds.rules import check_amount


def record_portfolio_line(
    session: Session, *, project_code: str, title: str, fund_id: int, area_code: str | None,
    fiscal_year: int, basis: str, source: str, amount_vnd: int,
) -> PortfolioLine:
    """Insert or replace the project's line for that year, basis and source."""
    violations = check_amount(amount_vnd, field_name="amount_vnd")
    if violations:
        raise RuleViolation(violations[0].message, violations)
    if basis not in set(Basis) or source not in set(Source):
        raise RuleViolation(N_("Unknown basis or source."))
    line = session.exec(select(PortfolioLine).where(
        PortfolioLine.project_code == project_code, PortfolioLine.fiscal_year == fiscal_year,
        PortfolioLine.basis == basis, PortfolioLine.source == source)).first()
    if line is None:
        line = PortfolioLine(project_code=project_code, fiscal_year=fiscal_year, basis=basis,
                             source=source, fund_id=fund_id, amount_vnd=amount_vnd)
    line.title, line.fund_id, line.area_code, line.amount_vnd = (
        title, fund_id, area_code, amount_vnd)
    session.add(line)
    session.flush()
    return line
