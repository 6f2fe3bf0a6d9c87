"""Errors of the accounts feature."""

from funds.errors import DomainError


class InvalidToken(DomainError):
    """A link that is unknown, used, expired or meant for something else."""

    code = "invalid_token"


class SignInRefused(DomainError):
    """Too many attempts: the account or the client address must wait."""

    code = "sign_in_refused"
