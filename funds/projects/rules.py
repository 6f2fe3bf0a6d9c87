"""Pure rules of funded projects: the state machines and the reporting schedule.

The closeout consequences, versioned by closeout regime (chosen from the contract's date),
live in funds/projects/regimes/rules.py.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from funds.errors import N_
from funds.projects.models import AwardStatus as AwS
from funds.projects.models import ChangeStatus as CS
from funds.projects.models import MilestoneStatus as MS
from funds.projects.models import ReportStatus as RS
from funds.rules import Violation
from funds.states import Machine, transitions

REPORT_EVERY_MONTHS = 6
FINAL_REPORT_DAYS = 30
EXTENSION_NOTICE_DAYS = 60
EXTENSION_ANSWER_DAYS = 30


# The project's machines. An award runs until it is closed after the acceptance evaluation
# (or stopped early, then closed); while it runs, milestones are added, reports filed and
# changes requested. Accepting a progress report accepts its milestone and releases the
# milestone's tranche (a movement of funds/projects/money, machine MOVEMENT there).
AWARD = Machine(
    "award",
    AwS,
    transitions(
        {
            AwS.ACTIVE: {AwS.STOPPED, AwS.CLOSED},
            AwS.STOPPED: {AwS.CLOSED},
            AwS.CLOSED: set(),
        }
    ),
    {AwS.ACTIVE: N_("In progress"), AwS.STOPPED: N_("Stopped"), AwS.CLOSED: N_("Closed")},
    refusal=N_("This project is closed."),
)

MILESTONE = Machine(
    "milestone",
    MS,
    transitions(
        {
            MS.OPEN: {MS.ACCEPTED},
            MS.ACCEPTED: set(),
        }
    ),
    {MS.OPEN: N_("In progress"), MS.ACCEPTED: N_("Accepted")},
    refusal=N_("This milestone has already been accepted."),
)

REPORT = Machine(
    "report",
    RS,
    transitions(
        {
            RS.SUBMITTED: {RS.ACCEPTED, RS.RETURNED},
            RS.ACCEPTED: set(),
            RS.RETURNED: set(),  # the PI files a new report
        }
    ),
    {RS.SUBMITTED: N_("Submitted"), RS.ACCEPTED: N_("Accepted"), RS.RETURNED: N_("Returned")},
    refusal=N_("Only a submitted report can be accepted or returned."),
)

CHANGE = Machine(
    "change",
    CS,
    transitions(
        {
            CS.PENDING: {CS.APPROVED, CS.REFUSED},
            CS.APPROVED: set(),
            CS.REFUSED: set(),
        }
    ),
    {CS.PENDING: N_("Pending"), CS.APPROVED: N_("Approved"), CS.REFUSED: N_("Refused")},
    refusal=N_("Only a pending request can be decided."),
)


class FinalReportStatus(StrEnum):
    """The final report's state, read from the closeout row (final_report_at, closed_at)."""

    DUE = "due"
    FILED = "filed"
    EVALUATED = "evaluated"


FINAL_REPORT = Machine(
    "final_report",
    FinalReportStatus,
    transitions(
        {
            FinalReportStatus.DUE: {FinalReportStatus.FILED},
            # a revised final report replaces the one filed, until the evaluation
            FinalReportStatus.FILED: {FinalReportStatus.FILED, FinalReportStatus.EVALUATED},
            FinalReportStatus.EVALUATED: set(),
        }
    ),
    {
        FinalReportStatus.DUE: N_("Due"),
        FinalReportStatus.FILED: N_("Received"),
        FinalReportStatus.EVALUATED: N_("Evaluated"),
    },
    refusal=N_("The project needs a final report and must not be closed."),
)


def final_report_status(filed: bool, closed: bool) -> FinalReportStatus:
    """Where the final report stands, from the closeout's two instants."""
    if closed:
        return FinalReportStatus.EVALUATED
    return FinalReportStatus.FILED if filed else FinalReportStatus.DUE


def is_running(award_status: str) -> bool:
    """A running project takes milestones, progress and final reports and change requests."""
    return award_status == AwS.ACTIVE


def awaiting_acceptance(milestone_status: str) -> bool:
    """A milestone a progress report can still be filed against."""
    return MILESTONE.can_move(milestone_status, MS.ACCEPTED)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def report_due_dates(start: date, end: date) -> list[date]:
    """A progress report every six months from the start, strictly before the end."""
    dues, n = [], 1
    while (due := add_months(start, REPORT_EVERY_MONTHS * n)) < end:
        dues.append(due)
        n += 1
    return dues


OUTPUT_YEARS_AFTER_CLOSEOUT = 5


def outputs_open(closed_on: date | None, today: date) -> bool:
    """Outputs may be added until five years after closeout (commercialisation comes late)."""
    return closed_on is None or today <= add_months(closed_on, 12 * OUTPUT_YEARS_AFTER_CLOSEOUT)


def final_report_due(end: date, days: int = FINAL_REPORT_DAYS) -> date:
    return end + timedelta(days=days)


def extension_request_in_time(
    end: date, requested_on: date, notice_days: int = EXTENSION_NOTICE_DAYS
) -> bool:
    """Extensions are asked for at least `notice_days` before the end date."""
    return (end - requested_on).days >= notice_days


def is_overdue(due: date, submitted: bool, today: date) -> bool:
    return not submitted and today > due


# Reporting periods. The funding contract obliges the PI to report progress on the schedule
# above (Law 93/2025/QH15 and the fund's contract: the host reports on the task's progress and
# the use of funds; payments follow accepted reports). Each progress report belongs to one
# period; a period is met only by an accepted report; a returned report leaves the period open
# for a new report on the same period; the PI reports on the earliest period not yet met, one
# report awaiting review at a time, from `reports.filing_window_days` before its due date
# (funds.legal.settings) — so no report can be filed ahead for a future period.
class PeriodStatus(StrEnum):
    """Where a reporting period stands, read from the reports filed for it."""

    DUE = "due"
    OVERDUE = "overdue"
    AWAITING_REVIEW = "awaiting_review"
    RETURNED = "returned"
    MET = "met"


REPORTING_PERIOD = Machine(
    "period",
    PeriodStatus,
    transitions(
        {
            PeriodStatus.DUE: {PeriodStatus.OVERDUE, PeriodStatus.AWAITING_REVIEW},
            PeriodStatus.OVERDUE: {PeriodStatus.AWAITING_REVIEW},
            PeriodStatus.AWAITING_REVIEW: {PeriodStatus.MET, PeriodStatus.RETURNED},
            PeriodStatus.RETURNED: {PeriodStatus.AWAITING_REVIEW},
            PeriodStatus.MET: set(),
        }
    ),
    {
        PeriodStatus.DUE: N_("Due"),
        PeriodStatus.OVERDUE: N_("Overdue"),
        PeriodStatus.AWAITING_REVIEW: N_("Awaiting review"),
        PeriodStatus.RETURNED: N_("Returned – to be filed again"),
        PeriodStatus.MET: N_("Met"),
    },
    refusal=N_("This reporting period already has its accepted report."),
)


@dataclass(frozen=True)
class FiledReport:
    """A progress report as the schedule sees it: its period and its state."""

    period: int
    status: str


@dataclass(frozen=True)
class Period:
    """A reporting period (1..n): its due date, its state and whether the date has passed."""

    number: int
    due: date
    status: PeriodStatus
    past_due: bool

    @property
    def met(self) -> bool:
        return self.status == PeriodStatus.MET

    @property
    def overdue(self) -> bool:
        """Past due with no report accepted or awaiting review (a returned one is no report)."""
        return self.past_due and self.status not in (PeriodStatus.MET, PeriodStatus.AWAITING_REVIEW)


def period_status(statuses: Iterable[str], due: date, today: date) -> PeriodStatus:
    """Met by an accepted report; else awaiting review, returned, overdue or due."""
    found = set(statuses)
    if RS.ACCEPTED in found:
        return PeriodStatus.MET
    if RS.SUBMITTED in found:
        return PeriodStatus.AWAITING_REVIEW
    if RS.RETURNED in found:
        return PeriodStatus.RETURNED
    return PeriodStatus.OVERDUE if today > due else PeriodStatus.DUE


def report_periods(
    start: date, end: date, reports: Iterable[FiledReport], *, today: date
) -> list[Period]:
    """The periods 1..n of report_due_dates, each in its state today."""
    filed: dict[int, list[str]] = {}
    for report in reports:
        filed.setdefault(report.period, []).append(report.status)
    return [
        Period(number, due, period_status(filed.get(number, []), due, today), today > due)
        for number, due in enumerate(report_due_dates(start, end), start=1)
    ]


def current_period(periods: Sequence[Period]) -> Period | None:
    """The period the PI reports on: the earliest not yet met (None once all are met)."""
    return next((p for p in periods if not p.met), None)


def filing_opens(due: date, window_days: int) -> date:
    """The first day a report may be filed for a period due on `due`."""
    return due - timedelta(days=window_days)


def filing_refusal(periods: Sequence[Period], *, today: date, window_days: int) -> Violation | None:
    """Why no progress report may be filed today (None: it may, for the current period)."""
    current = current_period(periods)
    if current is None:
        return Violation(
            "period",
            N_(
                "No progress report is to be filed: every reporting period has its accepted "
                "report. The final report comes next."
            ),
        )
    params = {"period": current.number, "due": current.due}
    if current.status == PeriodStatus.AWAITING_REVIEW:
        return Violation(
            "period",
            N_(
                "The report for period %(period)s (due %(due)s) is awaiting review; the next "
                "report can be filed once it is accepted."
            ),
            params,
        )
    opens = filing_opens(current.due, window_days)
    if today < opens:
        return Violation(
            "period",
            N_("The report for period %(period)s (due %(due)s) can be filed from %(opens)s."),
            {**params, "opens": opens},
        )
    return None


def payment_held(periods: Iterable[Period]) -> bool:
    """A period past its due date without an accepted report holds the next payment."""
    return any(p.past_due and not p.met for p in periods)


@dataclass(frozen=True)
class NextReport:
    due: date | None
    overdue: bool  # a running project past the current period's due date with no report in
    period: int | None = None
    status: PeriodStatus | None = None
    payment_held: bool = False  # a running project with a past period not met
    opens: date | None = None  # the first day its report may be filed


def next_report(
    periods: Sequence[Period], *, award_status: str, window_days: int | None = None
) -> NextReport:
    """The current period's report: its due date, whether it is overdue, whether the next
    payment is held — from the periods met, not from the reports filed — and, given the
    filing window, the first day it may be filed."""
    current = current_period(periods)
    if current is None:
        return NextReport(None, False)
    running = is_running(award_status)
    return NextReport(
        current.due,
        running and current.overdue,
        current.number,
        current.status,
        running and payment_held(periods),
        None if window_days is None else filing_opens(current.due, window_days),
    )


REMINDER_DAYS_BEFORE = 14


def reminders(
    *,
    start: date,
    end: date,
    reports: Iterable[FiledReport],
    final_report_filed: bool,
    closed_on: date | None,
    today: date,
) -> list[tuple[str, date]]:
    """(kind, due date) reminders owed today: the current period's report when it is near or
    past due and none awaits review, the final report, and the yearly outputs reminder for
    five years after closeout."""
    found = []
    if closed_on is None:
        current = current_period(report_periods(start, end, reports, today=today))
        if (
            current is not None
            and current.status != PeriodStatus.AWAITING_REVIEW
            and (current.due - today).days <= REMINDER_DAYS_BEFORE
        ):
            kind = "progress_overdue" if current.overdue else "progress_due"
            found.append((kind, current.due))
        final = final_report_due(end)
        if not final_report_filed and today >= end - timedelta(days=REMINDER_DAYS_BEFORE):
            found.append(("final_overdue" if today > final else "final_due", final))
    elif (
        today != closed_on
        and outputs_open(closed_on, today)
        and (today.month, today.day) == (closed_on.month, closed_on.day)
    ):
        found.append(("outputs_yearly", today))
    return found


def tranche_on_acceptance(
    *,
    milestone: str | None,
    milestone_open: bool,
    tranche_vnd: int,
    held: bool,
) -> Violation:
    """What accepting a progress report will release, said before the manager accepts it
    (docs/projects.md, "Tranches"): a tranche is paid only for the milestone it belongs to,
    when a report naming that milestone is accepted, and is held while a past period lacks its
    accepted report. `milestone` is the task the report names (None: none), `tranche_vnd` the
    milestone's tranches still to pay, `held` whether payments stay held after acceptance."""
    if milestone is None:
        return Violation(
            "milestone_id",
            N_(
                "This report names no milestone: accepting it meets its reporting period but "
                "releases no tranche, because a tranche is paid only for its milestone, when a "
                "report naming that milestone is accepted."
            ),
        )
    params = {"milestone": milestone, "amount_vnd": tranche_vnd}
    if not milestone_open:
        return Violation(
            "milestone_id",
            N_(
                "The milestone “%(milestone)s” is already accepted: accepting this report "
                "releases nothing more."
            ),
            params,
        )
    if not tranche_vnd:
        return Violation(
            "milestone_id",
            N_(
                "Accepting this report accepts the milestone “%(milestone)s”, which carries no "
                "tranche: no payment is released."
            ),
            params,
        )
    if held:
        return Violation(
            "milestone_id",
            N_(
                "Accepting this report accepts the milestone “%(milestone)s”; its tranche of "
                "%(amount_vnd)s stays held while a past reporting period lacks its accepted "
                "report."
            ),
            params,
        )
    return Violation(
        "milestone_id",
        N_(
            "Accepting this report accepts the milestone “%(milestone)s” and releases its "
            "tranche of %(amount_vnd)s."
        ),
        params,
    )
