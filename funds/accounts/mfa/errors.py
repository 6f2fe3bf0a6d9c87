"""Errors of the second-factor feature."""

from funds.errors import DomainError, NotAllowed


class WrongCode(DomainError):
    """The code is not the one the authenticator shows now, or was already used."""

    code = "wrong_code"


class NotEnrolled(DomainError):
    """The account has no confirmed authenticator, or no enrolment is under way."""

    code = "not_enrolled"


class SecondFactorMandatory(NotAllowed):
    """Administrators and fund managers must keep a second factor."""

    code = "second_factor_mandatory"


class SealingKeyMissing(RuntimeError):
    """The key that encrypts TOTP secrets at rest was never configured (a set-up error)."""
