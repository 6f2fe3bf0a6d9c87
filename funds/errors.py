"""The domain's own errors: services raise these, the web layer turns them into messages.

Messages are English msgids with %(name)s placeholders, marked with N_ so the
catalog extractor finds them; the web layer translates them with the params.
"""


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (gettext_noop)."""
    return message


class DomainError(Exception):
    """Base of every error a user can be told about."""

    code = "domain_error"

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


class NotAllowed(DomainError):
    """The acting user may not do this to this object."""

    code = "not_allowed"


class NotFound(DomainError):
    """The object does not exist (or is not visible to this user)."""

    code = "not_found"


class InvalidTransition(DomainError):
    """The object's state does not allow this step."""

    code = "invalid_transition"


class CallClosed(DomainError):
    """The call is not open for submissions at this instant."""

    code = "call_closed"


class RuleViolation(DomainError):
    """One or more business rules fail; `violations` lists them."""

    code = "rule_violation"

    def __init__(self, message: str, violations=(), **params):
        super().__init__(message, **params)
        self.violations = list(violations)


class StaleEdit(DomainError):
    """Someone saved a newer version first; nothing was overwritten."""

    code = "stale_edit"


class DuplicateAccount(DomainError):
    """An account with this e-mail already exists."""

    code = "duplicate_account"


class SpreadsheetRefused(RuleViolation):
    """An uploaded workbook passes a size, unpacked-size or row limit, or is not a workbook."""

    code = "spreadsheet_refused"
