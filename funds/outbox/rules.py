"""When an outbox row is tried again, and when it is given up (pure)."""

from datetime import datetime, timedelta

# Exponential backoff: 30 s, 1 min, 2 min … capped at one hour; after 8 failed attempts
# (about 1 h 4 min of trying) the row is dead and waits for an administrator.
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 8
# A row handed to the queue and not finished this long after is relayed again (the queue may
# have lost it: a Redis restarted without persistence); a worker holds a row as long.
SENT_LEASE = timedelta(minutes=15)
RUN_LEASE = timedelta(minutes=15)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure (1 → 30 s, 2 → 60 s, …, at most 1 h)."""
    if attempts < 1:
        return timedelta(0)
    return min(BASE_DELAY * 2 ** min(attempts - 1, 20), MAX_DELAY)


def after_failure(attempts: int, now: datetime) -> tuple[bool, datetime]:
    """(dead?, next attempt) after the `attempts`-th failure."""
    return attempts >= MAX_ATTEMPTS, now + retry_delay(attempts)
