"""The applicant's response, as pure rules: when it opens and closes, how it is counted."""

from datetime import UTC, datetime, timedelta

import pytest

from reviews.rebuttal.rules import (
    ReviewState,
    answer_violations,
    closes_at,
    incomplete,
    is_open,
    length,
)

T0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "states, missing",
    [
        ([ReviewState(1, 0, 2), ReviewState(2, 0, 1)], []),
        ([ReviewState(1, 1, 1), ReviewState(2, 0, 2)], [1]),  # a review still waiting
        ([ReviewState(1, 0, 0)], [1]),  # no review at all (every reviewer declined)
    ],
)
def test_the_period_opens_only_once_every_review_is_in(states, missing):
    assert incomplete(states) == missing


@pytest.mark.parametrize(
    "now, council_met, expected",
    [
        (T0 - timedelta(seconds=1), False, False),
        (T0, False, True),
        (T0 + timedelta(days=5) - timedelta(seconds=1), False, True),
        (T0 + timedelta(days=5), False, False),  # the closing instant is outside
        (T0 + timedelta(days=1), True, False),  # the council has met
    ],
)
def test_answers_are_taken_within_the_window_and_before_the_council_meets(
    now, council_met, expected
):
    assert is_open(now, T0, closes_at(T0, 5), council_met=council_met) is expected


@pytest.mark.parametrize(
    "text, count",
    [
        ("abc", 3),
        ("  abc \n", 3),  # outer blank space not counted
        ("a\r\nb", 3),  # a line end is one character, as in the browser
        ("Vie\u0302\u0323t", 4),  # decomposed Vietnamese is counted composed (NFC): Việt
        ("Việt Nam", 8),
    ],
)
def test_characters_are_counted_as_the_live_counter_counts_them(text, count):
    assert length(text) == count


@pytest.mark.parametrize(
    "text, limit, field_messages",
    [
        ("Cảm ơn", 200, []),
        ("   ", 200, ["Write your response before sending it."]),
        ("x" * 201, 200, ["Your response has %(count)s characters; the call allows %(max)s."]),
        ("x" * 200, 200, []),
    ],
)
def test_an_empty_or_too_long_answer_is_refused_at_its_field(text, limit, field_messages):
    found = answer_violations(text, limit)
    assert [v.message for v in found] == field_messages
    assert all(v.field == "text" for v in found)
