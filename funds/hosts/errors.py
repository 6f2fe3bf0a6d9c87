"""The host feature's own errors."""

from funds.errors import RuleViolation


class DuplicateHost(RuleViolation):
    """An organisation with this tax code or this name is already in the register."""

    code = "duplicate_host"


class EndorsementClosed(RuleViolation):
    """The call's endorsement period is over: nothing can be endorsed or returned now."""

    code = "endorsement_closed"
