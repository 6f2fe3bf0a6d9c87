"""Errors of publication imports."""

from funds.errors import DomainError


class ImportRefused(DomainError):
    """The file cannot be read at all (size, encoding, unknown format)."""

    code = "import_refused"
