"""A fund's public figures and Resolution 57 indicators, from the public records only."""

from sqlmodel import Session, col, func, select

from funds.calls.models import Call, Fund
from funds.clock import to_local, utcnow
from funds.projects.models import Award, AwardBudgetLine, AwardStatus, Output
from funds.publication.models import PublicProject
from funds.publication.queries import joined_records


def public_funds(session: Session) -> list[Fund]:
    return list(session.exec(select(Fund).order_by(col(Fund.code))).all())


def fund_statistics(session: Session, fund: Fund | None) -> dict:
    """A fund's (None: every fund's) public figures: calls, projects by status, the state
    money committed to them, and their results by kind."""
    projects = joined_records(
        select(Award.status, func.count()).select_from(PublicProject)
    ).group_by(col(Award.status))
    calls = select(func.count()).select_from(Call).where(col(Call.opens_at) <= utcnow())
    money = (
        select(func.sum(AwardBudgetLine.amount_vnd))
        .join(PublicProject, col(PublicProject.award_id) == AwardBudgetLine.award_id)
        .where(AwardBudgetLine.source == "state")
    )
    outputs = (
        select(Output.kind, func.count())
        .join(PublicProject, col(PublicProject.award_id) == Output.award_id)
        .group_by(col(Output.kind))
    )
    if fund is not None:
        projects = projects.where(PublicProject.fund_id == fund.id)
        calls = calls.where(Call.fund_id == fund.id)
        money = money.where(PublicProject.fund_id == fund.id)
        outputs = outputs.where(PublicProject.fund_id == fund.id)
    by_status = dict(session.exec(projects).all())
    return {
        "fund": {"code": fund.code, "name": fund.name} if fund else None,
        "calls": session.exec(calls).one(),
        "projects": sum(by_status.values()),
        "projects_by_status": {s.value: by_status.get(s.value, 0) for s in AwardStatus},
        "committed_state_vnd": int(session.exec(money).one() or 0),
        "outputs_by_kind": dict(session.exec(outputs).all()),
    }


# Indicators that add up the values of licences and sales: public only where every fund
# counted publishes those values (with one licence, the sum is that licence's value).
VALUE_INDICATORS = frozenset({"exploitation_value"})


def fund_indicator_report(session: Session, fund: Fund | None, years: range) -> dict:
    """Resolution 57's indicators for a fund's projects (None: the portfolio), by year; sums
    of withheld values left out."""
    from funds.projects import queries as project_queries
    from funds.publication.queries import fund_fields

    ids = project_queries.award_ids(session, fund_ids=None, fund_id=fund.id if fund else None)
    report = project_queries.indicator_report(session, ids, years)
    fund_ids = [fund.id] if fund else list(session.exec(select(Fund.id)).all())
    if all("output_value" in f for f in fund_fields(session, fund_ids).values()):
        return report
    return {y: [i for i in rows if i.id not in VALUE_INDICATORS] for y, rows in report.items()}


def fund_indicators(session: Session, fund: Fund | None, year: int) -> list[dict]:
    """One year's indicators in their machine-readable form (funds.projects.indicators)."""
    from funds.projects.indicators import as_json

    return [
        as_json(i, year) for i in fund_indicator_report(session, fund, range(year, year + 1))[year]
    ]


def fund_by_code(session: Session, code: str) -> Fund | None:
    return session.exec(select(Fund).where(Fund.code == code[:40])).first()


def current_year() -> int:
    return to_local(utcnow()).year
