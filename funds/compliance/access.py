"""Who may see and change budget data and compliance rules."""

from funds.models.accounts import Role, User
from funds.permissions import is_manager


def can_view_compliance(user: User) -> bool:
    """Fund managers and admins see budgets, rules and reports."""
    return is_manager(user)


def can_import_budget(user: User) -> bool:
    """Fund managers and admins import budget and portfolio data."""
    return is_manager(user)


def can_edit_rules(user: User) -> bool:
    """Only administrators change a rule's threshold, period or source."""
    return user.is_active and user.has_role(Role.ADMIN)
