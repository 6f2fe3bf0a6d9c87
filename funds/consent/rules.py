"""Consent (Law 91/2025/QH15)."""

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from funds.consent.models import ConsentKind


class ConsentState(StrEnum):
    NEVER = "never"  # accounts an administrator created; no consent was asked
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


def consent_state(events: Iterable[tuple[str, datetime]], *, given_at: datetime | None) -> str:
    """The latest event decides; with no event, the consent recorded on the account does."""
    latest = max(events, key=lambda e: e[1], default=None)
    if latest is not None:
        return ConsentState.GIVEN if latest[0] == ConsentKind.GIVEN else ConsentState.WITHDRAWN
    return ConsentState.GIVEN if given_at is not None else ConsentState.NEVER


def may_propose(state: str) -> bool:
    """Withdrawing consent stops new proposals until consent is given again (Law 91/2025:
    processing based on consent ends when it is withdrawn)."""
    return state != ConsentState.WITHDRAWN
