"""Job rules: the state machine, the percentage, the time left, progress written sparingly."""

from datetime import UTC, datetime, timedelta

import pytest

from funds.jobs.errors import JobCancelled
from funds.jobs.rules import JOB, can_cancel, is_active, percent, time_left
from funds.jobs.services import Progress

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "source, target, allowed",
    [
        ("queued", "running", True),
        ("queued", "cancelled", True),
        ("queued", "done", False),
        ("running", "done", True),
        ("running", "failed", True),
        ("running", "cancelled", True),
        ("running", "queued", False),
        ("done", "cancelled", False),
        ("failed", "running", False),
        ("cancelled", "running", False),
    ],
)
def test_job_moves(source, target, allowed):
    assert JOB.can_move(source, target) is allowed


@pytest.mark.parametrize(
    "state, done, total, expected",
    [
        ("running", 0, 0, 0),  # total not known yet
        ("running", 1, 3, 33),
        ("running", 999, 1000, 99),  # never 100 before it is done
        ("running", 1000, 1000, 99),
        ("done", 0, 0, 100),
        ("done", 2, 3, 100),
        ("running", 5, 3, 99),
    ],
)
def test_percent(state, done, total, expected):
    assert percent(state, done, total) == expected


@pytest.mark.parametrize(
    "elapsed, done, total, expected",
    [
        (timedelta(seconds=10), 25, 100, timedelta(seconds=30)),  # the rate so far
        (timedelta(seconds=60), 1, 2, timedelta(seconds=60)),
        (timedelta(seconds=10), 0, 100, None),  # no rate yet
        (timedelta(seconds=0.5), 50, 100, None),  # too early to say
        (timedelta(seconds=10), 100, 100, None),  # nothing left
        (timedelta(seconds=10), 5, 0, None),  # total unknown
    ],
)
def test_time_left(elapsed, done, total, expected):
    assert time_left(stage_started_at=T0, now=T0 + elapsed, done=done, total=total) == expected


def test_time_left_needs_a_start():
    assert time_left(stage_started_at=None, now=T0, done=1, total=2) is None


@pytest.mark.parametrize(
    "state, asked, active, cancellable",
    [
        ("queued", False, True, True),
        ("running", False, True, True),
        ("running", True, True, False),  # already asked
        ("done", False, False, False),
        ("failed", False, False, False),
        ("cancelled", True, False, False),
    ],
)
def test_active_and_cancellable(state, asked, active, cancellable):
    assert is_active(state) is active
    assert can_cancel(state, asked) is cancellable


class FakeClock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def test_progress_is_written_at_stage_changes_and_at_most_twice_a_second():
    clock, writes = FakeClock(), []

    def side(fn):
        writes.append(clock.now)
        return False  # no cancel asked

    progress = Progress(1, side, clock)
    progress.stage("Writing the rows", 100)
    for _ in range(10):
        progress.advance(5)  # all in the same instant: not written again
    clock.now += timedelta(seconds=1)
    progress.advance(5)
    assert writes == [T0, T0 + timedelta(seconds=1)]
    assert (progress.done, progress.total) == (55, 100)


def test_progress_stops_the_work_when_a_cancel_was_asked():
    progress = Progress(1, lambda fn: True, FakeClock())
    with pytest.raises(JobCancelled):
        progress.stage("Checking the files", 10)
    with pytest.raises(JobCancelled):
        progress.check()
