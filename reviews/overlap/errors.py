"""Errors of the overlap screening."""

from funds.errors import DomainError


class RegisterRefused(DomainError):
    """The task register file cannot be read at all (encoding, header, size)."""

    code = "register_refused"
