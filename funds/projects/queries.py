"""Read models for project pages and indicators."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import column, table, true
from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.models import Call
from funds.clock import to_local, utcnow
from funds.legal import settings
from funds.projects import rules
from funds.projects.indicators import Facts, Indicator, National, OutputRow, Settings, indicators
from funds.projects.models import (
    Award,
    AwardBudgetLine,
    ChangeRequest,
    ChangeStatus,
    Closeout,
    CouncilMember,
    Milestone,
    Output,
    ProgressReport,
)
from funds.projects.money.models import Movement, MovementKind
from funds.projects.rules import FiledReport, NextReport, Period
from funds.proposals.models import Proposal, ProposalStatus
from funds.text import search, search_terms


def awaiting_award(session: Session, *, fund_ids: Collection[int]) -> list[Proposal]:
    """Funded proposals of these funds that are not projects yet."""
    awarded = select(Award.proposal_id)
    return list(
        session.exec(
            select(Proposal)
            .join(Call, col(Call.id) == Proposal.call_id)
            .where(
                Proposal.status == ProposalStatus.FUNDED,
                col(Proposal.id).not_in(awarded),
                col(Call.fund_id).in_(list(fund_ids)),
            )
            .order_by(col(Proposal.id))
        ).all()
    )


# reviews' councils, read by table name: funds does not import reviews (docs/councils.md)
_SEAT = table("council_seat", column("council_id"), column("user_id"), column("active"))
_COUNCIL = table("council", column("id"), column("award_id"), column("kind"), column("status"))


def council_award_ids(user_id: int):
    """The ids of the projects whose council the user sits on: the project's own acceptance
    council (council_member) and an active seat on a mid-term or acceptance council of the
    project (reviews.councils, table council_seat), so that a member appointed there sees the
    project and its reports without a second appointment."""
    seated = (
        select(_COUNCIL.c.award_id)
        .select_from(_COUNCIL.join(_SEAT, _SEAT.c.council_id == _COUNCIL.c.id))
        .where(
            _SEAT.c.user_id == user_id,
            _SEAT.c.active == true(),
            _COUNCIL.c.kind.in_(("acceptance", "midterm")),
            _COUNCIL.c.status != "dissolved",
            _COUNCIL.c.award_id.is_not(None),
        )
    )
    return select(CouncilMember.award_id).where(CouncilMember.user_id == user_id).union(seated)


def projects_for(session: Session, user_id: int, *, fund_ids: Collection[int]):
    """(award, proposal) rows: the projects of the funds managed (fund_ids), the user's own,
    those they led before an approved change of PI (read-only history) and those whose
    council they sit on."""
    council = council_award_ids(user_id)
    led_before = select(ChangeRequest.award_id).where(
        ChangeRequest.old_pi_id == user_id, ChangeRequest.status == ChangeStatus.APPROVED
    )
    stmt = (
        select(Award, Proposal)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .join(Call, col(Call.id) == Proposal.call_id)
        .where(
            (col(Proposal.pi_id) == user_id)
            | col(Award.id).in_(council)
            | col(Award.id).in_(led_before)
            | col(Call.fund_id).in_(list(fund_ids))
        )
    )
    return session.exec(stmt.order_by(col(Award.id))).all()


def search_projects(session: Session, rows, q: str):
    """The (award, proposal) rows whose contract number, title, keywords or PI's name hold
    every word of `q`, accents optional (funds.text)."""
    if not search_terms(q):
        return rows
    pi_ids = {p.pi_id for _a, p in rows}
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_(pi_ids))).all())
    return search(
        rows,
        q,
        lambda r: (
            r[0].contract_number,
            r[1].title,
            r[1].title_en,
            r[1].keywords,
            names.get(r[1].pi_id),
        ),
    )


def project_parts(session: Session, award_id: int) -> dict:
    def rows(model, order):
        return list(
            session.exec(select(model).where(model.award_id == award_id).order_by(order)).all()
        )

    return {
        "budget": rows(AwardBudgetLine, AwardBudgetLine.fiscal_year),
        "milestones": rows(Milestone, Milestone.due_date),
        # the milestones' tranches on the ledger of movements (funds/projects/money)
        "tranches": [m for m in rows(Movement, Movement.id) if m.kind == MovementKind.TRANCHE],
        "reports": rows(ProgressReport, ProgressReport.id),
        "changes": rows(ChangeRequest, ChangeRequest.id),
        "outputs": rows(Output, Output.year),
        "closeout": session.exec(select(Closeout).where(Closeout.award_id == award_id)).first(),
    }


def _today() -> date:
    return to_local(utcnow()).date()


def report_periods(session: Session, award: Award, today: date | None = None) -> list[Period]:
    """The award's reporting periods, each in its state today (from the reports filed)."""
    filed = session.exec(
        select(ProgressReport.period, ProgressReport.status).where(
            ProgressReport.award_id == award.id
        )
    ).all()
    return rules.report_periods(
        award.start_date,
        award.end_date,
        [FiledReport(period, status) for period, status in filed],
        today=today or _today(),
    )


def next_report(session: Session, award: Award, today: date | None = None) -> NextReport:
    """The project's current period: its due date, whether its report is overdue and whether
    the next payment is held — from the periods met, not from the count of reports."""
    return rules.next_report(
        report_periods(session, award, today),
        award_status=award.status,
        window_days=settings.value(session, "reports.filing_window_days"),
    )


@dataclass(frozen=True)
class PeriodRow:
    """A reporting period on the project page, with the reports filed for it (oldest first)."""

    period: Period
    reports: list[ProgressReport] = field(default_factory=list)


def report_schedule(
    session: Session, award: Award, today: date | None = None
) -> tuple[list[PeriodRow], list[ProgressReport]]:
    """Each period with its reports, and the reports outside the schedule (filed, before
    periods existed, beyond its last period)."""
    reports = session.exec(
        select(ProgressReport)
        .where(ProgressReport.award_id == award.id)
        .order_by(col(ProgressReport.id))
    ).all()
    rows = {p.number: PeriodRow(p) for p in report_periods(session, award, today)}
    outside: list[ProgressReport] = []
    for report in reports:
        row = rows.get(report.period)
        (row.reports if row else outside).append(report)
    return list(rows.values()), outside


def award_ids(
    session: Session,
    *,
    fund_ids: Collection[int] | None,
    fund_id: int | None = None,
    area: str | None = None,
) -> list[int]:
    """Awards within fund_ids (None: every fund, for reports across the portfolio), of a
    fund and/or strategic area."""
    stmt = (
        select(Award.id)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .join(Call, col(Call.id) == Proposal.call_id)
    )
    if fund_ids is not None:
        stmt = stmt.where(col(Call.fund_id).in_(list(fund_ids)))
    if fund_id:
        stmt = stmt.where(Call.fund_id == fund_id)
    if area:
        stmt = stmt.where(Proposal.area_code == area)
    return list(session.exec(stmt).all())


def output_rows(session: Session, ids: list[int], year: int):
    """(output, award) rows of a year, for drill-down."""
    return session.exec(
        select(Output, Award)
        .join(Award, col(Award.id) == Output.award_id)
        .where(col(Output.award_id).in_(ids), Output.year == year)
        .order_by(Output.kind, col(Output.id))
    ).all()


def granted_patents(session: Session, award_id: int) -> list[Output]:
    """The project's granted patents, which its exploitations may point to."""
    return list(
        session.exec(
            select(Output)
            .where(Output.award_id == award_id, Output.kind == "patent_grant")
            .order_by(col(Output.year), col(Output.id))
        ).all()
    )


def indicator_facts(session: Session, ids: list[int] | None = None) -> Facts:
    """The rows behind the indicators of these awards (None: every award): outputs, closings
    by year and outcome, committed money by year and source, national statistics and the
    durations call close → decision and final report → closeout."""
    ids = award_ids(session, fund_ids=None) if ids is None else ids
    outputs = [
        OutputRow(o.id, o.kind, o.year, o.international, o.exploits_output_id, o.value_vnd)
        for o in session.exec(select(Output).where(col(Output.award_id).in_(ids))).all()
    ]
    closures = [
        (to_local(c.closed_at).year, c.outcome)
        for c in session.exec(
            select(Closeout).where(
                col(Closeout.outcome).is_not(None),
                col(Closeout.closed_at).is_not(None),
                col(Closeout.award_id).in_(ids),
            )
        ).all()
        if c.closed_at is not None and c.outcome is not None
    ]
    codes = select(Award.contract_number).where(col(Award.id).in_(ids))
    decided, closed = durations(session, ids)
    return Facts(
        outputs=outputs,
        closures=closures,
        committed=_committed(session, codes),
        national=_national(session),
        decision_days=decided,
        closeout_days=closed,
    )


def indicator_settings(session: Session) -> Settings:
    """The indicators.* legal settings, with this year in Vietnam time."""
    return Settings(
        current_year=to_local(utcnow()).year,
        window_years=settings.value(session, "indicators.commercialisation_window_years"),
        provisional_years=settings.value(session, "indicators.provisional_years"),
    )


def indicator_report(
    session: Session, ids: list[int] | None, years: range, baseline: int | None = None
) -> dict[int, list[Indicator]]:
    """{year: every indicator of the year} for these awards (None: the whole portfolio)."""
    facts, params = indicator_facts(session, ids), indicator_settings(session)
    return {y: indicators(facts, y, settings=params, baseline=baseline) for y in years}


def durations(session: Session, ids: list[int]):
    """(year, days) from call close to decision, and from final report to closeout."""
    from funds.calls.models import Call
    from funds.clock import to_local
    from funds.proposals.models import Decision

    decided = session.exec(
        select(Call.closes_at, Decision.decided_at)
        .join(Proposal, col(Proposal.call_id) == Call.id)
        .join(Decision, col(Decision.proposal_id) == Proposal.id)
        .join(Award, col(Award.proposal_id) == Proposal.id)
        .where(col(Award.id).in_(ids))
    ).all()
    closed = session.exec(
        select(Closeout.final_report_at, Closeout.closed_at).where(
            col(Closeout.award_id).in_(ids), col(Closeout.closed_at).is_not(None)
        )
    ).all()

    def days(a, b):
        return (to_local(b).date() - to_local(a).date()).days

    return (
        [(to_local(d).year, days(c, d)) for c, d in decided],
        [(to_local(b).year, days(a, b)) for a, b in closed if a is not None and b is not None],
    )


def _committed(session: Session, codes) -> list[tuple[int, str, int]]:
    """(fiscal year, source, đồng) of the committed ledger lines of these projects."""
    from funds.portfolio.models import PortfolioLine

    return [
        (line.fiscal_year, line.source, line.amount_vnd)
        for line in session.exec(
            select(PortfolioLine).where(
                PortfolioLine.basis == "committed", col(PortfolioLine.project_code).in_(codes)
            )
        ).all()
    ]


def _national(session: Session) -> dict[int, National]:
    from funds.compliance.models import NationalStatistics

    return {
        n.fiscal_year: National(n.gdp_vnd, n.gerd_state_vnd, n.gerd_nonstate_vnd)
        for n in session.exec(select(NationalStatistics)).all()
    }


def projects_of_host(session: Session, host_id: int, *, fund_ids: Collection[int] | None = None):
    """(award, proposal) rows of the projects this host carries out; only those of
    `fund_ids` unless None (the host's own officers)."""
    stmt = (
        select(Award, Proposal)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .join(Call, col(Call.id) == Proposal.call_id)
        .where(Proposal.host_id == host_id)
        .order_by(col(Award.id).desc())
    )
    if fund_ids is not None:
        stmt = stmt.where(col(Call.fund_id).in_(list(fund_ids)))
    return session.exec(stmt).all()
