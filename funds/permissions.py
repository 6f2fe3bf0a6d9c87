"""Who may do what to which object. Predicates take the user explicitly and return bool."""

from funds.models.accounts import Role, User
from funds.models.proposals import Proposal, ProposalStatus


def is_manager(user: User) -> bool:
    return user.is_active and user.has_role(Role.MANAGER, Role.ADMIN)


def can_manage_calls(user: User) -> bool:
    """Fund managers (and admins) run funds and calls."""
    return is_manager(user)


def is_pi(proposal: Proposal, user: User) -> bool:
    return user.is_active and proposal.pi_id == user.id


def can_view_proposal(proposal: Proposal, user: User) -> bool:
    """The PI and the fund's managers; reviewers go through reviews.permissions."""
    return is_pi(proposal, user) or is_manager(user)


def can_edit_proposal(proposal: Proposal, user: User) -> bool:
    """Only the PI, and only while it is a draft."""
    return is_pi(proposal, user) and proposal.status == ProposalStatus.DRAFT


def can_submit_proposal(proposal: Proposal, user: User) -> bool:
    return can_edit_proposal(proposal, user)


def can_withdraw_proposal(proposal: Proposal, user: User) -> bool:
    return is_pi(proposal, user) and proposal.status == ProposalStatus.SUBMITTED


def can_decide(proposal: Proposal, user: User) -> bool:
    """Managers decide on submitted proposals."""
    return is_manager(user) and proposal.status == ProposalStatus.SUBMITTED


def can_view_audit(user: User) -> bool:
    return user.is_active and user.has_role(Role.ADMIN)


def can_administer(user: User) -> bool:
    return user.is_active and user.has_role(Role.ADMIN)


def can_reopen_proposal(proposal: Proposal, user: User) -> bool:
    """The PI may take back a submitted or withdrawn proposal to edit and resubmit it."""
    return is_pi(proposal, user) and proposal.status in (ProposalStatus.SUBMITTED,
                                                         ProposalStatus.WITHDRAWN)
