"""Who may do what to which object. Predicates take the user explicitly and return bool.

Fund scoping (OWASP ASVS 5.0 V8.2.2, data-specific access): a manager acts only on the
funds they are linked to (funds.calls.models), and sees a fund's proposals from
submission on — a draft is the applicant's alone. Administrators administer: they create
funds and say who manages each, but they are not managers of every fund; an administrator
who must act on a fund takes the manager role and a link to it, both audited.
"""

from funds.accounts.models import Role, User


def is_manager(user: User) -> bool:
    """Holds the fund manager role; which funds they manage is manages_fund's question."""
    return user.is_active and user.has_role(Role.MANAGER)


def can_administer(user: User) -> bool:
    return user.is_active and user.has_role(Role.ADMIN)


def can_view_audit(user: User) -> bool:
    return can_administer(user)


def can_manage_accounts(user: User) -> bool:
    """Create, deactivate and reactivate accounts and send their password links."""
    return can_administer(user)


def can_reset_two_factor(user: User) -> bool:
    """Turn off another person's two-factor sign-in (they lost their device and codes)."""
    return can_administer(user)
