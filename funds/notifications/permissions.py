"""Who sees which notification: each person only their own; administrators the failures."""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer
from funds.notifications.models import Notification


def can_read_notification(notification: Notification, user: User) -> bool:
    return user.is_active and notification.user_id == user.id


def has_inbox(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_view_delivery_failures(user: User) -> bool:
    return can_administer(user)
