"""Consent (Law 91/2025/QH15)."""

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.consent.models import ConsentEvent
from funds.consent.rules import consent_state


def consent_events(session: Session, user_id: int) -> list[ConsentEvent]:
    return list(
        session.exec(
            select(ConsentEvent)
            .where(ConsentEvent.user_id == user_id)
            .order_by(col(ConsentEvent.at), col(ConsentEvent.id))
        ).all()
    )


def consent_of(session: Session, user: User) -> str:
    """given, withdrawn or never (see funds.privacy.rules.consent_state)."""
    events = [(e.kind, e.at) for e in consent_events(session, user.id)]
    return consent_state(events, given_at=user.consent_at)
