"""Who sees and does what on a funded project."""

from funds.models.accounts import User
from funds.models.proposals import Proposal
from funds.permissions import is_manager


def can_view_project(proposal: Proposal, user: User, *, on_council: bool) -> bool:
    """The PI, the fund's managers, and the project's council members."""
    return user.is_active and (proposal.pi_id == user.id or is_manager(user) or on_council)


def can_report(proposal: Proposal, user: User) -> bool:
    """Only the PI files reports, requests changes and records outputs."""
    return user.is_active and proposal.pi_id == user.id


def can_evaluate(user: User, *, on_council: bool) -> bool:
    return user.is_active and (is_manager(user) or on_council)
