"""Pure rules of jobs: the state machine, the percentage and the time left."""

from datetime import datetime, timedelta

from funds.errors import N_
from funds.jobs.models import JobState
from funds.states import Machine, transitions

JOB = Machine(
    "job",
    JobState,
    transitions(
        {
            JobState.QUEUED: {JobState.RUNNING, JobState.CANCELLED},
            JobState.RUNNING: {JobState.DONE, JobState.FAILED, JobState.CANCELLED},
            JobState.DONE: set(),
            JobState.FAILED: set(),
            JobState.CANCELLED: set(),
        }
    ),
    {
        JobState.QUEUED: N_("Waiting to start"),
        JobState.RUNNING: N_("Running"),
        JobState.DONE: N_("Done"),
        JobState.FAILED: N_("Failed"),
        JobState.CANCELLED: N_("Cancelled"),
    },
    N_("This job has already ended."),
)
# How many characters of an unexpected error's text are kept for the page.
ERROR_LIMIT = 2000
# Progress is written at most this often (its own short transaction each time).
PROGRESS_INTERVAL = timedelta(seconds=0.5)
# Estimates need some work behind them before they say anything.
MIN_ELAPSED_FOR_ESTIMATE = timedelta(seconds=1)


def percent(state: str, done: int, total: int) -> int:
    """Whole per cent done: 100 when done, else done/total rounded down (0 while unknown)."""
    if state == JobState.DONE:
        return 100
    if total <= 0:
        return 0
    return min(99, max(0, done * 100 // total))


def time_left(
    *, stage_started_at: datetime | None, now: datetime, done: int, total: int
) -> timedelta | None:
    """Time left in the current stage at the rate so far; None until the rate is known."""
    if stage_started_at is None or total <= 0 or done <= 0 or done >= total:
        return None
    elapsed = now - stage_started_at
    if elapsed < MIN_ELAPSED_FOR_ESTIMATE:
        return None
    return timedelta(seconds=round(elapsed.total_seconds() * (total - done) / done))


def is_active(state: str) -> bool:
    """Queued or running: it can still be cancelled and the page keeps polling."""
    return not JOB.is_final(state)


def can_cancel(state: str, cancel_requested: bool) -> bool:
    """A cancel button while the job can still stop and no cancel is pending."""
    return is_active(state) and not cancel_requested
