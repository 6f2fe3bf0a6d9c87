"""Writing work to the outbox and moving each row through its states.

Every change but `add` is a conditional update, so two relays, two workers or a relay and a
worker racing on one row never both win: a row is run by one worker at a time and, once
done, never again.
"""

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from funds import audit
from funds.outbox import rules
from funds.outbox.errors import NotDead
from funds.outbox.models import OutboxMessage, OutboxState

_WAITING = (OutboxState.PENDING, OutboxState.SENT)


def add(session: Session, *, task: str, args: str, request_id: str = "") -> OutboxMessage:
    """Promise one task (its JSON arguments) in the caller's transaction; `request_id` is the
    promising request's, for the worker's log lines."""
    message = OutboxMessage(task=task, args=args, request_id=request_id[:128])
    session.add(message)
    session.flush()
    return message


def _change(session: Session, message_id: int, condition, **values) -> bool:
    result = session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _takeable(now: datetime):
    """Waiting for the queue, or held by a worker whose lease ran out."""
    return col(OutboxMessage.state).in_(_WAITING) | (
        (col(OutboxMessage.state) == OutboxState.RUNNING)
        & (col(OutboxMessage.next_attempt_at) <= now)
    )


def mark_sent(session: Session, *, message_id: int, now: datetime) -> bool:
    """The queue accepted the row: wait for a worker, relay again if none took it in time."""
    return _change(
        session,
        message_id,
        _takeable(now),
        state=OutboxState.SENT,
        next_attempt_at=now + rules.SENT_LEASE,
    )


def claim(session: Session, *, message_id: int, now: datetime) -> OutboxMessage | None:
    """A worker takes the row (None: done, dead, or another worker has it)."""
    if not _change(
        session,
        message_id,
        _takeable(now),
        state=OutboxState.RUNNING,
        next_attempt_at=now + rules.RUN_LEASE,
    ):
        return None
    message = session.get_one(OutboxMessage, message_id)
    session.refresh(message)
    return message


def complete(session: Session, *, message_id: int, now: datetime) -> bool:
    """The work ran to its end; its arguments (which may hold an e-mailed secret) go."""
    return _change(
        session,
        message_id,
        col(OutboxMessage.state) == OutboxState.RUNNING,
        state=OutboxState.DONE,
        done_at=now,
        args="[]",
        last_error="",
    )


def record_failure(session: Session, *, message_id: int, error: str, now: datetime) -> str | None:
    """An attempt failed (the queue refused it, or the work raised): try again later with a
    longer wait, or give up after rules.MAX_ATTEMPTS. Returns the new state."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.state in (OutboxState.DONE, OutboxState.DEAD):
        return None
    session.refresh(message)
    attempts = message.attempts + 1
    dead, next_at = rules.after_failure(attempts, now)
    state = OutboxState.DEAD if dead else OutboxState.PENDING
    changed = _change(
        session,
        message_id,
        col(OutboxMessage.attempts) == message.attempts,
        attempts=attempts,
        state=state,
        next_attempt_at=next_at,
        last_error=error[:1000],
    )
    return state if changed else None


def replay(session: Session, *, message_id: int, actor, now: datetime) -> OutboxMessage:
    """An administrator sends a dead row round again (attempts from zero), audited."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.state != OutboxState.DEAD:
        raise NotDead()
    message.state = OutboxState.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    audit.record(
        session,
        actor_id=actor.id,
        object_type="outbox",
        object_id=message_id,
        action="replay",
        from_state=OutboxState.DEAD,
        to_state=OutboxState.PENDING,
        detail=f"{message.task}: {message.last_error}",
    )
    session.flush()
    return message
