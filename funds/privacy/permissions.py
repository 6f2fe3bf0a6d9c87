"""Who may exercise personal-data rights for whom."""

from funds.accounts.models import Role, User
from funds.accounts.permissions import can_administer


def can_export_for(actor: User, person: User) -> bool:
    """The person themselves, or an administrator answering a request received by post."""
    return actor.is_active and (actor.id == person.id or can_administer(actor))


def can_erase_for(actor: User, person: User) -> bool:
    """An administrator, for a request received outside the portal; never their own account
    from the administration page (they use their own personal-data page)."""
    return can_administer(actor) and actor.id != person.id


def can_handle_privacy_requests(actor: User) -> bool:
    """The administrators' pages for personal-data requests received outside the portal."""
    return can_administer(actor)


def can_exercise_rights(user: User) -> bool:
    """The personal-data page (export, correction, consent, deletion): every account holder."""
    return user.is_active and user.has_role(*Role)
