"""Pure rules of funded projects: schedule and outputs (closeout consequences:
test_closeout_regimes.py; indicators: test_indicators.py)."""

from datetime import date

import pytest

from funds.projects.rules import (
    add_months,
    extension_request_in_time,
    is_overdue,
    outputs_open,
    report_due_dates,
)


def test_reports_every_six_months_before_the_end():
    assert report_due_dates(date(2026, 1, 31), date(2027, 12, 31)) == [
        date(2026, 7, 31),
        date(2027, 1, 31),
        date(2027, 7, 31),
    ]


def test_months_are_added_with_the_day_clamped():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


@pytest.mark.parametrize(
    "requested_on, ok",
    [(date(2027, 10, 31), True), (date(2027, 11, 1), False), (date(2026, 1, 1), True)],
)
def test_extensions_are_requested_sixty_days_ahead(requested_on, ok):
    assert extension_request_in_time(date(2027, 12, 30), requested_on) is ok


def test_overdue_only_when_missing_after_the_due_date():
    assert is_overdue(date(2026, 7, 1), False, date(2026, 7, 2))
    assert not is_overdue(date(2026, 7, 1), True, date(2026, 7, 2))
    assert not is_overdue(date(2026, 7, 1), False, date(2026, 7, 1))


def test_outputs_stay_open_five_years_after_closeout():
    assert outputs_open(date(2026, 2, 28), date(2031, 2, 28))
    assert not outputs_open(date(2026, 2, 28), date(2031, 3, 1))
    assert outputs_open(None, date(2099, 1, 1))


@pytest.mark.parametrize(
    "today, filed, final, closed, kinds",
    [
        (date(2026, 7, 1), 0, False, None, ["progress_due"]),
        (date(2026, 6, 1), 0, False, None, []),
        (date(2026, 7, 20), 0, False, None, ["progress_overdue"]),
        (date(2027, 12, 20), 3, False, None, ["final_due"]),
        (date(2028, 2, 1), 3, False, None, ["final_overdue"]),
        (date(2028, 2, 1), 3, True, None, []),
        (date(2029, 3, 1), 3, True, date(2028, 3, 1), ["outputs_yearly"]),
        (date(2029, 3, 2), 3, True, date(2028, 3, 1), []),
        (date(2034, 3, 1), 3, True, date(2028, 3, 1), []),
    ],
)
def test_reminders_owed_on_a_day(today, filed, final, closed, kinds):
    from funds.projects.rules import FiledReport, reminders

    found = reminders(
        start=date(2026, 1, 15),
        end=date(2027, 12, 31),
        reports=[FiledReport(n, "accepted") for n in range(1, filed + 1)],  # periods met
        final_report_filed=final,
        closed_on=closed,
        today=today,
    )
    assert [k for k, _ in found] == kinds
