"""Who sees and replays the dead-letter list."""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer


def can_manage_outbox(user: User) -> bool:
    """Administrators: the queue is the portal's operation, not a fund's business."""
    return can_administer(user)
