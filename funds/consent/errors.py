"""Consent (Law 91/2025/QH15)."""

from funds.errors import NotAllowed


class ConsentWithdrawn(NotAllowed):
    """The person withdrew consent: no new proposal until they give it again."""

    code = "consent_withdrawn"
