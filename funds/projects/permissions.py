"""Who sees and does what on a funded project."""

from funds.accounts.models import User
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_manage_proposal


def can_manage_project(proposal: Proposal, user: User) -> bool:
    """Milestones, reports, changes, council and closeout: the managers of its fund."""
    return can_manage_proposal(proposal, user)


def can_view_project(proposal: Proposal, user: User, *, on_council: bool) -> bool:
    """The PI, the managers of its fund, and the project's council members."""
    return user.is_active and (proposal.pi_id == user.id or can_manage_project(proposal, user)
                               or on_council)


def can_report(proposal: Proposal, user: User) -> bool:
    """Only the PI files reports, requests changes and records outputs."""
    return user.is_active and proposal.pi_id == user.id


def can_evaluate(proposal: Proposal, user: User, *, on_council: bool) -> bool:
    """The acceptance evaluation: the fund's managers and the project's council."""
    return user.is_active and (can_manage_project(proposal, user) or on_council)
