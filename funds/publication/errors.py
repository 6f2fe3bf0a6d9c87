"""The publication feature's errors."""

from funds.errors import N_, RuleViolation


class BadFilter(RuleViolation):
    """A filter of a public list is malformed (the API answers 400 with the parameter)."""

    def __init__(self, name: str, message: str = N_("This value is not valid.")):
        super().__init__(message)
        self.name = name


class TokenRefused(RuleViolation):
    """An API token is unknown, expired, revoked or outside its scope."""
