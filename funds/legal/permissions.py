"""Who may read and change the legal instruments and settings."""

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer, is_manager


def can_view_law(user: User) -> bool:
    """Fund managers and administrators read the instruments and settings every figure
    they sign rests on."""
    return is_manager(user) or can_administer(user)


def can_edit_law(user: User) -> bool:
    """Only administrators change an instrument's dates or a legal setting."""
    return user.is_active and user.has_role(Role.ADMIN)
