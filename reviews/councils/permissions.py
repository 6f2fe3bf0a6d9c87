"""Who may do what with councils. Predicates take the user explicitly and return bool.

A council belongs to a fund: the fund's managers form it and run its meetings; its members
(each with an active seat) see their own council and its items only; administrators set a
fund's council rules beside its managers but do not run councils (funds.calls.permissions).
"""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer, is_manager
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from reviews.councils.models import Council, CouncilSeat, CouncilStatus
from reviews.councils.rules import COUNCIL


def can_manage_councils(user: User) -> bool:
    """The councils pages for managers: fund managers, each on the funds they manage."""
    return is_manager(user)


def can_manage_council(fund: Fund, user: User) -> bool:
    """Form a council, appoint and remove members, schedule its meetings: the fund's managers."""
    return manages_fund(user, fund)


def can_edit_council_rules(fund: Fund, user: User) -> bool:
    """A fund's council rules (size, roles, quorum, pass rule, ballot): its managers and the
    administrators."""
    return manages_fund(user, fund) or can_administer(user)


def is_member(seat: CouncilSeat | None, user: User) -> bool:
    """Holds an active seat on the council."""
    return seat is not None and seat.active and seat.user_id == user.id and user.is_active


def can_view_council(fund: Fund, seat: CouncilSeat | None, user: User) -> bool:
    """The council's page: its fund's managers and its members."""
    return manages_fund(user, fund) or is_member(seat, user)


def can_change_members(council: Council, fund: Fund, user: User) -> bool:
    """Members are appointed and removed until the council is dissolved."""
    return can_manage_council(fund, user) and council.status != CouncilStatus.DISSOLVED


def can_activate(council: Council, fund: Fund, user: User, problems: list) -> bool:
    """A forming council becomes active once its composition meets the rules."""
    return (
        can_manage_council(fund, user)
        and COUNCIL.can_move(council.status, CouncilStatus.ACTIVE)
        and not problems
    )


def has_accepted_confidentiality(seat: CouncilSeat | None, user: User) -> bool:
    """A member sees an item's material only after accepting the council's confidentiality
    statement (as reviewers do, docs/security.md)."""
    return (
        is_member(seat, user) and seat is not None and seat.confidentiality_accepted_at is not None
    )


def can_open_council_rules(user: User) -> bool:
    """The council rules pages: fund managers and administrators (each fund checked by
    can_edit_council_rules)."""
    return is_manager(user) or can_administer(user)
