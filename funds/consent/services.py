"""Consent checks other features call before acting on a person's data."""

from sqlmodel import Session

from funds.accounts.models import User
from funds.consent import queries
from funds.consent.errors import ConsentWithdrawn
from funds.consent.rules import may_propose
from funds.errors import N_


def require_consent_to_propose(session: Session, *, actor: User) -> None:
    """Refuse a new or newly submitted proposal of a person who withdrew consent."""
    if not may_propose(queries.consent_of(session, actor)):
        raise ConsentWithdrawn(
            N_(
                "You have withdrawn your consent to the processing of your personal data, so you "
                "cannot start or submit proposals. Give your consent again on the page “My "
                "personal data” to continue."
            )
        )
