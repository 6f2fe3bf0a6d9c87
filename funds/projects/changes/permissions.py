"""Who reads and decides change requests (the request itself: funds.projects.permissions)."""

from funds.accounts.models import User


def can_read_history(user: User, *, former_pi: bool) -> bool:
    """A PI replaced by an approved change of PI keeps read access to the project's history
    (and files nothing more: only the current PI reports)."""
    return user.is_active and former_pi
