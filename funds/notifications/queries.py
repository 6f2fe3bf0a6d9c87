"""Reads: a person's inbox and choices, and the deliveries that failed."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.notifications.models import EmailState, Notification, NotificationPreference


def email_choices(session: Session, user_id: int) -> dict[str, bool]:
    """kind → whether the person receives it by e-mail (only the kinds they set)."""
    return {
        p.kind: p.email
        for p in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        ).all()
    }


def inbox(session: Session, user_id: int, limit: int = 200) -> list[Notification]:
    """The person's notifications, newest first."""
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        ).all()
    )


def unread_count(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    ).one()


def params_of(notification: Notification) -> dict:
    return json.loads(notification.params or "{}")


@dataclass(frozen=True)
class FailedDelivery:
    id: int
    created_at: datetime
    kind: str
    recipient: str  # the account's name, or the address for a person without one
    email: str
    attempts: int
    error: str
    state: str  # failed (the queue retries) or bounced (returned later: never retried)


def failed_deliveries(session: Session, limit: int = 500) -> list[FailedDelivery]:
    """E-mails whose last attempt failed or that bounced later, newest first
    (administrators)."""
    rows = session.exec(
        select(Notification, User.name)
        .join(User, col(User.id) == col(Notification.user_id), isouter=True)
        .where(col(Notification.email_state).in_([EmailState.FAILED, EmailState.BOUNCED]))
        .order_by(col(Notification.created_at).desc())
        .limit(limit)
    ).all()
    return [
        FailedDelivery(
            n.id,
            n.created_at,
            n.kind,
            name or n.email,
            n.email,
            n.email_attempts,
            n.email_error,
            n.email_state,
        )
        for n, name in rows
    ]
