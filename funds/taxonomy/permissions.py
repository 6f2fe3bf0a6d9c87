"""Who may change the strategic-technology list."""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer


def can_manage_areas(user: User) -> bool:
    """Administrators rename, describe and (de)activate strategic areas."""
    return can_administer(user)
