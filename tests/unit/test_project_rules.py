"""Pure rules of funded projects: schedule, closeout consequences (indicators:
test_indicators.py)."""

from datetime import date
from fractions import Fraction

import pytest

from funds.projects.rules import (
    Outcome,
    Rating,
    RiskAssessment,
    add_months,
    consequences,
    extension_request_in_time,
    is_overdue,
    outputs_open,
    report_due_dates,
    round_half_up,
)

ALL_HOLD = RiskAssessment(True, True, True, True)
NEW, OLD = date(2026, 1, 10), date(2024, 6, 1)


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


@pytest.mark.parametrize(
    "rating, assessment, contract, refund, outcome, liable",
    [
        (Rating.EXCELLENT, None, NEW, 200, Outcome.SUCCESS, False),
        (Rating.PASS, None, NEW, 200, Outcome.SUCCESS, False),
        (Rating.FAIL, ALL_HOLD, NEW, 200, Outcome.COMPLIANT_FAILURE, False),
        (
            Rating.FAIL,
            RiskAssessment(True, True, True, False),
            NEW,
            1000,
            Outcome.NONCOMPLIANT_FAILURE,
            True,
        ),
        (
            Rating.FAIL,
            RiskAssessment(False, True, True, True),
            NEW,
            1000,
            Outcome.NONCOMPLIANT_FAILURE,
            True,
        ),
        (Rating.FAIL, None, NEW, 1000, Outcome.NONCOMPLIANT_FAILURE, True),
        (Rating.FAIL, ALL_HOLD, OLD, 200 + 240, Outcome.NONCOMPLIANT_FAILURE, True),  # 30% of 800
        (Rating.PASS, None, OLD, 200, Outcome.SUCCESS, False),
    ],
)
def test_closeout_consequences(rating, assessment, contract, refund, outcome, liable):
    result = consequences(
        rating=rating,
        assessment=assessment,
        disbursed_vnd=1000,
        used_vnd=800,
        contract_date=contract,
    )
    assert (result.refund_vnd, result.outcome, result.liability) == (refund, outcome, liable)
    assert result.mark_against_future is liable


def test_legacy_share_is_configurable_and_rounded_half_up():
    result = consequences(
        rating=Rating.FAIL,
        assessment=ALL_HOLD,
        disbursed_vnd=1001,
        used_vnd=1001,
        contract_date=OLD,
        legacy_share=Fraction(1, 10),
    )
    assert result.refund_vnd == 100  # 100.1 → 100
    assert round_half_up(Fraction(5, 2)) == 3


def test_used_funds_cannot_exceed_what_was_paid():
    with pytest.raises(ValueError, match="used funds must lie between"):
        consequences(
            rating=Rating.PASS, assessment=None, disbursed_vnd=10, used_vnd=11, contract_date=NEW
        )


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
    from funds.projects.rules import reminders

    found = reminders(
        start=date(2026, 1, 15),
        end=date(2027, 12, 31),
        reports_filed=filed,
        final_report_filed=final,
        closed_on=closed,
        today=today,
    )
    assert [k for k, _ in found] == kinds
