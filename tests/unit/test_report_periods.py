"""Progress reports per reporting period: the reporting obligation of the funding contract.

Legal basis (docs/projects.md, "Reporting periods"): Law 93/2025/QH15 (law-93-2025-qh15)
and the fund's contract oblige the host and the PI to report progress on the contract's
schedule, every six months from the start, and the fund pays against accepted reports. So a
period is met only by an accepted report, a returned report does not advance the schedule,
one report awaits review at a time and none is filed before the period's filing window
(setting reports.filing_window_days, 30 days by default) — a PI cannot pre-file reports for
future periods to silence reminders and payment holds.
"""

from datetime import date

import pytest

from funds.projects.rules import (
    REPORTING_PERIOD,
    FiledReport,
    PeriodStatus,
    current_period,
    filing_opens,
    filing_refusal,
    next_report,
    payment_held,
    reminders,
    report_periods,
)

START, END = date(2026, 1, 15), date(2027, 12, 31)
DUES = [date(2026, 7, 15), date(2027, 1, 15), date(2027, 7, 15)]
WINDOW = 30  # funds/legal/settings.py reports.filing_window_days, default


def periods(*filed: tuple[int, str], today: date):
    return report_periods(START, END, [FiledReport(p, s) for p, s in filed], today=today)


def test_the_schedule_has_one_period_per_due_date_numbered_from_one():
    found = periods(today=START)
    assert [(p.number, p.due) for p in found] == list(enumerate(DUES, start=1))


@pytest.mark.parametrize(
    "filed, today, status, overdue",
    [
        ((), date(2026, 7, 15), PeriodStatus.DUE, False),
        ((), date(2026, 7, 16), PeriodStatus.OVERDUE, True),
        (("submitted",), date(2026, 8, 1), PeriodStatus.AWAITING_REVIEW, False),
        (("returned",), date(2026, 7, 1), PeriodStatus.RETURNED, False),
        (("returned",), date(2026, 8, 1), PeriodStatus.RETURNED, True),  # no report counts
        (("returned", "submitted"), date(2026, 8, 1), PeriodStatus.AWAITING_REVIEW, False),
        (("returned", "accepted"), date(2026, 8, 1), PeriodStatus.MET, False),
        (("accepted",), date(2026, 8, 1), PeriodStatus.MET, False),
    ],
)
def test_a_period_is_met_only_by_an_accepted_report(filed, today, status, overdue):
    first = periods(*[(1, s) for s in filed], today=today)[0]
    assert (first.status, first.overdue) == (status, overdue)


@pytest.mark.parametrize(
    "filed, today, window, refused, period",
    [
        # the window opens 30 days before the due date, not before
        ((), date(2026, 6, 14), WINDOW, "can be filed from", 1),
        ((), date(2026, 6, 15), WINDOW, None, 1),
        ((), date(2026, 9, 1), WINDOW, None, 1),  # late is still allowed
        # one report awaiting review per period: the next waits for the decision
        (((1, "submitted"),), date(2026, 6, 20), WINDOW, "awaiting review", 1),
        # a returned report does not advance: the PI files again for the same period
        (((1, "returned"),), date(2026, 7, 20), WINDOW, None, 1),
        # an accepted report advances to the next period, whose window is not open yet
        (((1, "accepted"),), date(2026, 7, 20), WINDOW, "can be filed from", 2),
        (((1, "accepted"),), date(2026, 12, 16), WINDOW, None, 2),
        (((1, "accepted"),), date(2026, 7, 20), 200, None, 2),  # a wider window (setting)
        (((1, "accepted"), (2, "accepted"), (3, "accepted")), END, WINDOW, "final report", None),
    ],
)
def test_a_report_is_filed_for_the_current_period_within_its_window(
    filed, today, window, refused, period
):
    found = periods(*filed, today=today)
    refusal = filing_refusal(found, today=today, window_days=window)
    assert (refused in refusal.message) if refusal else refused is None
    current = current_period(found)
    assert (current.number if current else None) == period


def test_the_refusal_names_the_period_its_due_date_and_the_day_filing_opens():
    refusal = filing_refusal(periods(today=START), today=START, window_days=WINDOW)
    assert refusal is not None
    assert refusal.params == {"period": 1, "due": DUES[0], "opens": date(2026, 6, 15)}
    assert filing_opens(DUES[1], WINDOW) == date(2026, 12, 16)


@pytest.mark.parametrize(
    "day_one, window",
    [
        (date(2026, 6, 15), WINDOW),  # the first day the default window allows
        (START, 366),  # the widest window the setting allows, on the project's first day
    ],
)
def test_a_pi_who_files_three_reports_on_day_one_files_only_the_first(day_one, window):
    filed: list[tuple[int, str]] = []
    outcomes = []
    for _attempt in range(3):
        found = periods(*filed, today=day_one)
        refusal = filing_refusal(found, today=day_one, window_days=window)
        outcomes.append(refusal is None)
        if refusal is None:
            filed.append((current_period(found).number, "submitted"))
    assert outcomes == [True, False, False]
    assert filed == [(1, "submitted")]
    # the schedule and the reminders stay on period 1 until its report is accepted
    for today in (date(2026, 7, 20), date(2027, 1, 10), date(2027, 7, 10)):
        shown = next_report(periods(*filed, today=today), award_status="active")
        assert (shown.period, shown.due) == (1, DUES[0])
        assert shown.payment_held  # a past period without an accepted report holds payment
        owed = reminders(
            start=START,
            end=END,
            reports=[FiledReport(p, s) for p, s in filed],
            final_report_filed=False,
            closed_on=None,
            today=today,
        )
        assert [k for k, _ in owed if k.startswith("progress")] == []  # awaiting the manager


@pytest.mark.parametrize(
    "filed, today, period, overdue, held",
    [
        ((), date(2026, 7, 1), 1, False, False),
        ((), date(2026, 7, 16), 1, True, True),
        (((1, "submitted"),), date(2026, 7, 16), 1, False, True),  # held until accepted
        (((1, "returned"),), date(2026, 7, 16), 1, True, True),  # returned: still held
        (((1, "returned"), (1, "accepted")), date(2026, 7, 16), 2, False, False),
        (((1, "accepted"),), date(2027, 1, 16), 2, True, True),
    ],
)
def test_the_next_report_and_the_payment_hold_follow_the_periods_met(
    filed, today, period, overdue, held
):
    shown = next_report(periods(*filed, today=today), award_status="active")
    assert (shown.period, shown.overdue, shown.payment_held) == (period, overdue, held)
    assert payment_held(periods(*filed, today=today)) is held


def test_a_stopped_project_is_neither_overdue_nor_held():
    shown = next_report(periods(today=date(2027, 1, 1)), award_status="stopped")
    assert (shown.overdue, shown.payment_held) == (False, False)


def test_every_period_met_leaves_no_next_report():
    met = periods((1, "accepted"), (2, "accepted"), (3, "accepted"), today=END)
    assert next_report(met, award_status="active").due is None
    assert not payment_held(met)


@pytest.mark.parametrize(
    "filed, today, owed",
    [
        ((), date(2026, 7, 1), [("progress_due", DUES[0])]),
        ((), date(2026, 7, 20), [("progress_overdue", DUES[0])]),
        (((1, "submitted"),), date(2026, 7, 20), []),
        (((1, "returned"),), date(2026, 7, 10), [("progress_due", DUES[0])]),
        (((1, "returned"),), date(2026, 7, 20), [("progress_overdue", DUES[0])]),
        (((1, "returned"), (1, "returned")), date(2027, 1, 10), [("progress_overdue", DUES[0])]),
        (((1, "accepted"),), date(2026, 7, 20), []),
        (((1, "accepted"),), date(2027, 1, 2), [("progress_due", DUES[1])]),
    ],
)
def test_reminders_follow_the_periods_met_not_the_reports_filed(filed, today, owed):
    found = reminders(
        start=START,
        end=END,
        reports=[FiledReport(p, s) for p, s in filed],
        final_report_filed=False,
        closed_on=None,
        today=today,
    )
    assert found == owed


def test_the_period_machine_moves_only_along_the_schedule():
    assert REPORTING_PERIOD.can_move(PeriodStatus.AWAITING_REVIEW, PeriodStatus.MET)
    assert REPORTING_PERIOD.can_move(PeriodStatus.RETURNED, PeriodStatus.AWAITING_REVIEW)
    assert not REPORTING_PERIOD.can_move(PeriodStatus.RETURNED, PeriodStatus.MET)
    assert REPORTING_PERIOD.is_final(PeriodStatus.MET)
