"""Errors of personal-data rights."""

from funds.errors import NotAllowed, RuleViolation


class ConsentWithdrawn(NotAllowed):
    """The person withdrew consent: no new proposal until they give it again."""

    code = "consent_withdrawn"


class ErasureRefused(RuleViolation):
    """The erasure cannot go ahead (not confirmed, a running contract, already done)."""

    code = "erasure_refused"


class UnclaimedPersonalData(RuntimeError):
    """A table refers to people but no registered part says how it is erased: erasing
    would leave personal data behind, so nothing is erased (a programming error)."""
