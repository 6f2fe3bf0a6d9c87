"""Who may see and review what. Reviewers see only proposals assigned to them."""

from funds.models.accounts import Role, User
from funds.models.proposals import Proposal, ProposalStatus
from funds.permissions import can_view_proposal as funds_can_view, is_manager
from reviews.models import AssignmentStatus, ReviewAssignment


def is_active_assignment(assignment: ReviewAssignment | None, user: User) -> bool:
    return (
        assignment is not None
        and user.is_active
        and assignment.reviewer_id == user.id
        and assignment.status != AssignmentStatus.DECLINED
    )


def can_view_proposal(proposal: Proposal, user: User,
                      assignment: ReviewAssignment | None) -> bool:
    """PI and managers as in funds; a reviewer only through their own live assignment."""
    return funds_can_view(proposal, user) or (
        is_active_assignment(assignment, user) and assignment.proposal_id == proposal.id
    )


def can_review(assignment: ReviewAssignment, user: User) -> bool:
    """The assigned reviewer, until they have submitted."""
    return is_active_assignment(assignment, user) and assignment.status == AssignmentStatus.ASSIGNED


def can_assign(proposal: Proposal, user: User) -> bool:
    """Managers assign reviewers to submitted proposals."""
    return is_manager(user) and proposal.status == ProposalStatus.SUBMITTED


def is_reviewer(user: User) -> bool:
    return user.is_active and user.has_role(Role.REVIEWER)


def can_see_other_reviews(assignment: ReviewAssignment, rubric) -> bool:
    """Only after submitting one's own, and only where the call's rubric allows it."""
    return (assignment.status == AssignmentStatus.SUBMITTED and rubric is not None
            and rubric.show_others_after_submit)
