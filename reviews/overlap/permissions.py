"""Who sees and decides the pairs the overlap screening flags.

A pair joins a screened proposal (fund A) and another proposal, project or register task.
The managers of a fund see the pairs in which one of their fund's proposals takes part.
What they see of a proposal of another fund is limited (docs/overlap.md): its title in both
languages, its host organisation, its fund and call, whether it is a funded project, and
whether its principal investigator is the same person as theirs — never its abstract,
budget, team or reviews, unless it is a funded project, whose abstract is public. Each fund
decides on its own proposals: a flag is decided by the managers of the screened proposal's
fund; the other fund's managers see the decision.
"""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer, is_manager
from funds.calls.permissions import manages_fund
from funds.proposals.models import Proposal, ProposalStatus


def can_screen_overlaps(user: User) -> bool:
    """The list of flagged pairs: fund managers, each seeing the funds they manage."""
    return is_manager(user)


def can_import_register(user: User) -> bool:
    """The national task register is shared by every fund: managers and administrators."""
    return is_manager(user) or can_administer(user)


def reaches_register_from_menu(user: User) -> bool:
    """Administrators who manage no fund reach the register from the menu; managers reach it
    from the list of pairs."""
    return can_administer(user) and not is_manager(user)


def can_see_flag(proposal: Proposal, other: Proposal | None, user: User) -> bool:
    """Managers of the fund of either side."""
    return manages_fund(user, proposal.call.fund) or (
        other is not None and manages_fund(user, other.call.fund)
    )


def can_decide_flag(proposal: Proposal, user: User) -> bool:
    """The managers of the screened proposal's fund decide on it."""
    return manages_fund(user, proposal.call.fund)


def can_read_full_text(other: Proposal, user: User) -> bool:
    """The whole text of a proposal in a pair: its own fund's managers; anyone who may see the
    pair reads a funded project's abstract (public), never another fund's pending proposal's."""
    return manages_fund(user, other.call.fund) or other.status == ProposalStatus.FUNDED
