"""The pure rules of calls and proposals."""

from datetime import UTC, datetime, timedelta

import pytest

from funds.calls.rules import CallRules, call_is_open
from funds.proposals.rules import can_move, fiscal_years
from funds.rules import check_amount

T0 = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
RULES = CallRules(
    opens_at=T0 - timedelta(days=30),
    closes_at=T0,
    ceiling_vnd=1_000,
    open_to_all_areas=False,
    eligible_areas=frozenset({"AI"}),
)


@pytest.mark.parametrize(
    "now, expected",
    [
        (T0 - timedelta(days=31), False),
        (T0 - timedelta(days=30), True),
        (T0 - timedelta(microseconds=1), True),
        (T0, False),
        (T0 + timedelta(seconds=1), False),
    ],
)
def test_call_is_open_from_opening_inclusive_to_closing_exclusive(now, expected):
    assert call_is_open(RULES, now) is expected


@pytest.mark.parametrize(
    "current, target, allowed",
    [
        ("draft", "submitted", True),
        ("submitted", "funded", True),
        ("submitted", "not_funded", True),
        ("submitted", "withdrawn", True),
        ("withdrawn", "draft", True),
        ("draft", "funded", False),
        ("funded", "not_funded", False),
        ("not_funded", "submitted", False),
    ],
)
def test_proposal_transitions_are_written_once(current, target, allowed):
    assert can_move(current, target) is allowed


@pytest.mark.parametrize(
    "value, ok",
    [
        (0, True),
        (1_000_000_000, True),
        (-1, False),
        (10**16, False),
        (1.5, False),
        (True, False),
    ],
)
def test_amounts_are_whole_nonnegative_and_bounded(value, ok):
    assert (check_amount(value) == []) is ok


@pytest.mark.parametrize(
    "closes_at, months, years",
    [
        (datetime(2027, 3, 1, tzinfo=UTC), 36, [2027, 2028, 2029]),
        (datetime(2027, 3, 1, tzinfo=UTC), 13, [2027, 2028]),
        (datetime(2027, 3, 1, tzinfo=UTC), 12, [2027]),
        (datetime(2027, 3, 1, tzinfo=UTC), 1, [2027]),
        (datetime(2027, 3, 1, tzinfo=UTC), 600, [2027, 2028, 2029, 2030, 2031, 2032]),
        (datetime(2027, 12, 31, 17, 0, tzinfo=UTC), 12, [2028]),  # already 2028 in Hà Nội
    ],
)
def test_the_budget_runs_from_the_closing_year_over_the_longest_allowed_duration(
    closes_at, months, years
):
    assert fiscal_years(closes_at, months) == years
