"""Pure rules of funded projects: the state machines and the reporting schedule.

The closeout consequences, versioned by closeout regime (chosen from the contract's date),
live in funds/projects/regimes/rules.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from funds.errors import N_
from funds.projects.models import AwardStatus as AwS
from funds.projects.models import ChangeStatus as CS
from funds.projects.models import MilestoneStatus as MS
from funds.projects.models import ReportStatus as RS
from funds.projects.models import TrancheStatus as TS
from funds.states import Machine, transitions

REPORT_EVERY_MONTHS = 6
FINAL_REPORT_DAYS = 30
EXTENSION_NOTICE_DAYS = 60
EXTENSION_ANSWER_DAYS = 30


# The project's machines. An award runs until it is closed after the acceptance evaluation
# (or stopped early, then closed); while it runs, milestones are added, reports filed and
# changes requested. Accepting a progress report accepts its milestone and releases the
# milestone's tranche.
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
    {AwS.ACTIVE: N_("Active"), AwS.STOPPED: N_("Stopped"), AwS.CLOSED: N_("Closed")},
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
    {MS.OPEN: N_("Open"), MS.ACCEPTED: N_("Accepted")},
    refusal=N_("This milestone has already been accepted."),
)

TRANCHE = Machine(
    "tranche",
    TS,
    transitions(
        {
            TS.HELD: {TS.RELEASED},
            TS.RELEASED: set(),
        }
    ),
    {TS.HELD: N_("Held"), TS.RELEASED: N_("Released")},
    refusal=N_("This tranche has already been released."),
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


def next_report_due(start: date, end: date, filed: int) -> date | None:
    """The due date of the next progress report, given how many were filed."""
    dues = report_due_dates(start, end)
    return dues[filed] if filed < len(dues) else None


def final_report_due(end: date, days: int = FINAL_REPORT_DAYS) -> date:
    return end + timedelta(days=days)


def extension_request_in_time(
    end: date, requested_on: date, notice_days: int = EXTENSION_NOTICE_DAYS
) -> bool:
    """Extensions are asked for at least `notice_days` before the end date."""
    return (end - requested_on).days >= notice_days


def is_overdue(due: date, submitted: bool, today: date) -> bool:
    return not submitted and today > due


@dataclass(frozen=True)
class NextReport:
    due: date | None
    overdue: bool  # a running project past the due date: the next payment is held


def next_report(
    start: date, end: date, filed: int, *, award_status: str, today: date
) -> NextReport:
    """The next progress report's due date, and whether it is overdue."""
    due = next_report_due(start, end, filed)
    return NextReport(
        due, due is not None and is_running(award_status) and is_overdue(due, False, today)
    )


def payment_held(overdue_reports: int) -> bool:
    """A missing report holds the next payment."""
    return overdue_reports > 0


REMINDER_DAYS_BEFORE = 14


def reminders(
    *,
    start: date,
    end: date,
    reports_filed: int,
    final_report_filed: bool,
    closed_on: date | None,
    today: date,
) -> list[tuple[str, date]]:
    """(kind, due date) reminders owed today: upcoming or overdue reports, the final report,
    and the yearly outputs reminder for five years after closeout."""
    found = []
    if closed_on is None:
        due = next_report_due(start, end, reports_filed)
        if due and (due - today).days <= REMINDER_DAYS_BEFORE:
            found.append(("progress_overdue" if today > due else "progress_due", due))
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
