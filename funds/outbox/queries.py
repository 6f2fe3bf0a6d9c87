"""Reads of the outbox: what is due for relaying, what is dead, how many in each state."""

from datetime import datetime

from sqlmodel import Session, col, func, select

from funds.outbox.models import OutboxMessage, OutboxState

LIVE = (OutboxState.PENDING, OutboxState.SENT, OutboxState.RUNNING)


def due(session: Session, *, now: datetime, limit: int = 500) -> list[int]:
    """Rows to hand to the queue now: pending ones whose wait is over, and sent or running
    ones whose lease ran out (the queue or the worker lost them)."""
    return list(
        session.exec(
            select(OutboxMessage.id)
            .where(col(OutboxMessage.state).in_(LIVE), OutboxMessage.next_attempt_at <= now)
            .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
            .limit(limit)
        ).all()
    )


def dead_letters(session: Session) -> list[OutboxMessage]:
    """The rows given up on, newest first."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.DEAD)
            .order_by(col(OutboxMessage.id).desc())
        ).all()
    )


def counts(session: Session) -> dict[str, int]:
    """How many rows in each state (every state present, zero when none)."""
    found = dict(
        session.exec(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all()
    )
    return {str(state): found.get(state, 0) for state in OutboxState}


def unfinished(session: Session) -> dict[str, int]:
    """How many rows wait, are queued, run or are dead (every such state, zero when none);
    done rows are left out, so the index answers however many have accumulated."""
    states = (*LIVE, OutboxState.DEAD)
    found = dict(
        session.exec(
            select(OutboxMessage.state, func.count())
            .where(col(OutboxMessage.state).in_(states))
            .group_by(OutboxMessage.state)
        ).all()
    )
    return {str(state): found.get(state, 0) for state in states}


def oldest_pending(session: Session) -> datetime | None:
    """When the oldest row still waiting to be handed to the queue was written."""
    return session.exec(
        select(OutboxMessage.created_at)
        .where(OutboxMessage.state == OutboxState.PENDING)
        .order_by(col(OutboxMessage.created_at))
        .limit(1)
    ).first()
