"""Who belongs to the reviewer pool."""

from funds.accounts.models import Role, User


def is_reviewer(user: User) -> bool:
    return user.is_active and user.has_role(Role.REVIEWER)
