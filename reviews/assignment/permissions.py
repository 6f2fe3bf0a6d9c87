"""Who may assign reviewers, and which assignments are live."""

from funds.accounts.models import User
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.permissions import can_manage_proposal
from reviews.assignment.models import AssignmentStatus, ReviewAssignment


def is_active_assignment(assignment: ReviewAssignment | None, user: User) -> bool:
    return (
        assignment is not None
        and user.is_active
        and assignment.reviewer_id == user.id
        and assignment.status != AssignmentStatus.DECLINED
    )


def can_assign(proposal: Proposal, user: User) -> bool:
    """The managers of the proposal's fund assign reviewers to it once submitted."""
    return can_manage_proposal(proposal, user) and proposal.status == ProposalStatus.SUBMITTED
