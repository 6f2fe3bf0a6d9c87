"""Who may do what to which object. Predicates take the user explicitly and return bool.

Fund scoping (OWASP ASVS 5.0 V8.2.2, data-specific access): a manager acts only on the
funds they are linked to (funds.calls.models), and sees a fund's proposals from
submission on — a draft is the applicant's alone. Administrators administer: they create
funds and say who manages each, but they are not managers of every fund; an administrator
who must act on a fund takes the manager role and a link to it, both audited.
"""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer, is_manager
from funds.calls.models import Call, Fund


def manages_fund(user: User, fund: Fund) -> bool:
    """An active manager linked to this fund."""
    return is_manager(user) and any(row.user_id == user.id for row in fund.manager_rows)


def can_create_fund(user: User) -> bool:
    """Managers (who then manage it) and administrators (who then assign its managers)."""
    return is_manager(user) or can_administer(user)


def can_view_fund(fund: Fund, user: User) -> bool:
    """The fund's page with its managers: its managers and the administrators."""
    return manages_fund(user, fund) or can_administer(user)


def can_assign_fund_managers(user: User) -> bool:
    """Only administrators add and remove a fund's managers (access is granted centrally)."""
    return can_administer(user)


def can_manage_call(call: Call, user: User) -> bool:
    """Rubric, assignment, ranking and exports of a call: the managers of its fund."""
    return manages_fund(user, call.fund)


def can_manage_funds(user: User) -> bool:
    """The fund management pages (funds, calls, submissions): fund managers, each on the funds
    they manage (manages_fund), and administrators, who see every fund."""
    return is_manager(user) or can_administer(user)
