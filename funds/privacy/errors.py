"""Errors of personal-data rights."""

from funds.errors import RuleViolation


class ErasureRefused(RuleViolation):
    """The erasure cannot go ahead (not confirmed, a running contract, already done)."""

    code = "erasure_refused"


class UnclaimedPersonalData(RuntimeError):
    """A table refers to people but no registered part says how it is erased: erasing
    would leave personal data behind, so nothing is erased (a programming error)."""
