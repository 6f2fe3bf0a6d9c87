"""Notifying a person, reading the inbox, choosing e-mails, recording deliveries.

A domain service calls `notify(...)` inside its transaction: the inbox row is part of the
work, and the e-mail leaves only once that work has committed — the portal sets `deliver`
to a function that queues it through the request edge's outbox (portal.notifications)."""

import json
from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, NotFound
from funds.notifications import rules
from funds.notifications.models import EmailState, Notification, NotificationPreference
from funds.notifications.permissions import can_read_notification
from funds.notifications.queries import email_choices

# Set by the web layer: called with a new notification's id, to send it after the commit.
deliver: Callable[[int], None] | None = None


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def notify(
    session: Session,
    *,
    kind: str,
    object_type: str,
    object_id: int,
    user_id: int | None = None,
    email: str | None = None,
    params: dict | None = None,
    actor_id: int | None = None,
) -> Notification:
    """Tell a person (an account, or an address without one) about an object: an inbox
    entry now, an e-mail after the commit unless they turned this optional kind off.
    `params` fill the kind's message; name another person by `<role>_user_id` (shown as
    their name when read), never by their name, so that an erasure leaves none behind."""
    rules.KINDS[kind]  # an unknown kind is a programming error (KeyError)
    user = session.get(User, user_id) if user_id is not None else None
    if user is None and not email:
        raise ValueError("notify needs a user or an e-mail address")
    choices = email_choices(session, user.id) if user else {}
    wanted = rules.wants_email(kind, choices)
    n = Notification(
        user_id=user.id if user else None,
        email=user.email if user else str(email).strip().lower(),
        locale=(user.locale if user else None) or "vi",
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        params=json.dumps({k: _plain(v) for k, v in (params or {}).items()}, ensure_ascii=False),
        email_state=EmailState.PENDING if wanted else EmailState.SKIPPED,
    )
    session.add(n)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        object_type="notification",
        object_id=n.id,
        action="create",
        to_state=kind,
        detail=f"{object_type} {object_id}",
    )
    if wanted and deliver is not None:
        deliver(n.id)
    return n


def get_notification_for(session: Session, *, notification_id: int, actor: User) -> Notification:
    """The actor's own notification; anyone else's does not exist for them."""
    n = session.get(Notification, notification_id)
    if n is None or not can_read_notification(n, actor):
        raise NotFound(N_("No such notification."))
    return n


def mark_read(session: Session, *, actor: User, notification_id: int) -> Notification:
    """The person has seen one entry of their inbox."""
    n = get_notification_for(session, notification_id=notification_id, actor=actor)
    if n.read_at is None:
        n.read_at = utcnow()
        session.add(n)
        session.flush()
    return n


def mark_all_read(session: Session, *, actor: User) -> int:
    """Every unread entry of the actor's inbox marked read; returns how many."""
    unread = session.exec(
        select(Notification).where(
            Notification.user_id == actor.id,
            Notification.read_at.is_(None),  # type: ignore[union-attr]
        )
    ).all()
    now = utcnow()
    for n in unread:
        n.read_at = now
        session.add(n)
    session.flush()
    return len(unread)


def set_email_preferences(session: Session, *, actor: User, choices: dict[str, bool]) -> None:
    """Which optional e-mails the actor receives; required kinds cannot be turned off."""
    rows = {
        p.kind: p
        for p in session.exec(
            select(NotificationPreference).where(NotificationPreference.user_id == actor.id)
        ).all()
    }
    for kind in rules.OPTIONAL:
        row = rows.get(kind) or NotificationPreference(user_id=actor.id, kind=kind)
        row.email = bool(choices.get(kind, True))
        session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="user",
        object_id=actor.id,
        action="email_preferences",
        detail=",".join(sorted(k for k in rules.OPTIONAL if not choices.get(k, True))),
    )


def record_email_sent(session: Session, *, notification_id: int) -> None:
    """The e-mail was accepted by the mail server (or written to the outbox)."""
    n = session.get_one(Notification, notification_id)
    n.email_state, n.emailed_at, n.email_error = EmailState.SENT, utcnow(), ""
    n.email_attempts += 1
    session.add(n)
    session.flush()


def record_email_failure(session: Session, *, notification_id: int, error: str) -> None:
    """A send failed or bounced: kept with its error for the administrators; the queue
    retries a failed send."""
    n = session.get_one(Notification, notification_id)
    n.email_state, n.email_error = EmailState.FAILED, error[:1000]
    n.email_attempts += 1
    session.add(n)
    session.flush()
    audit.record(
        session,
        actor_id=None,
        object_type="notification",
        object_id=n.id,
        action="email_failed",
        to_state=EmailState.FAILED,
        detail=f"attempt {n.email_attempts}",
    )


def record_bounce(session: Session, *, notification_id: int, error: str) -> bool:
    """A sent e-mail came back later (a delivery status notification): marked bounced with
    the server's diagnostic, for the administrators; never retried. False if the
    notification is unknown or was not sent (nothing changes)."""
    n = session.get(Notification, notification_id)
    if n is None or n.email_state != EmailState.SENT:
        return False
    n.email_state, n.email_error = EmailState.BOUNCED, error[:1000]
    session.add(n)
    session.flush()
    audit.record(
        session,
        actor_id=None,
        object_type="notification",
        object_id=n.id,
        action="email_bounced",
        from_state=EmailState.SENT,
        to_state=EmailState.BOUNCED,
        detail=error[:4000],
    )
    return True
