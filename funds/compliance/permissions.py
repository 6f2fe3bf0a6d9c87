"""Who may see and change budget data and compliance rules."""

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer, is_manager


def can_view_compliance(user: User) -> bool:
    """Every fund manager and the admins see budgets, rules and reports: the floors
    (Resolution 57-NQ/TW §III.3) hold across the whole state S&T budget, not per fund, so
    these figures are not scoped to the funds a manager manages; proposals are."""
    return is_manager(user) or can_administer(user)


def can_import_budget(user: User) -> bool:
    """Fund managers and admins import budget and portfolio data."""
    return is_manager(user) or can_administer(user)


def can_edit_rules(user: User) -> bool:
    """Only administrators change a rule's threshold, period or source."""
    return user.is_active and user.has_role(Role.ADMIN)
