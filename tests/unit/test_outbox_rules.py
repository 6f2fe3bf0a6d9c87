"""Outbox retries: a growing wait, capped, and a dead letter after MAX_ATTEMPTS."""

from datetime import UTC, datetime, timedelta

import pytest

from funds.outbox import rules

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "attempts, wait",
    [
        (0, timedelta(0)),
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (7, timedelta(minutes=32)),
        (8, timedelta(hours=1)),
        (50, timedelta(hours=1)),
    ],
)
def test_each_failure_waits_twice_as_long_up_to_an_hour(attempts, wait):
    assert rules.retry_delay(attempts) == wait


@pytest.mark.parametrize(
    "attempts, dead", [(1, False), (rules.MAX_ATTEMPTS - 1, False), (rules.MAX_ATTEMPTS, True)]
)
def test_a_task_is_given_up_after_max_attempts(attempts, dead):
    assert rules.after_failure(attempts, NOW) == (dead, NOW + rules.retry_delay(attempts))
