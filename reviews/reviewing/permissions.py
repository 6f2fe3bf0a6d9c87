"""Who may see and review what. Reviewers see only proposals assigned to them, and only
step by step: the confidentiality statement, then title and summary to declare on, then —
with no conflict declared — the whole proposal and its files."""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer, is_manager
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_manage_proposal
from reviews.assignment.models import AssignmentStatus, ReviewAssignment
from reviews.assignment.permissions import is_active_assignment
from reviews.assignment.rules import ASSIGNMENT
from reviews.pool.models import ConflictDeclaration, ReviewerProfile


def has_accepted_confidentiality(profile: ReviewerProfile | None, user: User) -> bool:
    return (
        profile is not None
        and profile.user_id == user.id
        and profile.confidentiality_accepted_at is not None
    )


def can_see_summary_as_reviewer(
    assignment: ReviewAssignment | None, user: User, profile: ReviewerProfile | None
) -> bool:
    """Title and summary, to declare on: the assigned reviewer, after confidentiality."""
    return is_active_assignment(assignment, user) and has_accepted_confidentiality(profile, user)


def can_read_proposal_as_reviewer(
    assignment: ReviewAssignment | None,
    user: User,
    profile: ReviewerProfile | None,
    declaration: ConflictDeclaration | None,
) -> bool:
    """The whole proposal, its files and PDF: after confidentiality and "no conflict"."""
    return (
        assignment is not None
        and can_see_summary_as_reviewer(assignment, user, profile)
        and declaration is not None
        and declaration.reviewer_id == user.id
        and declaration.proposal_id == assignment.proposal_id
        and not declaration.has_conflict
    )


def can_review(assignment: ReviewAssignment, user: User) -> bool:
    """The assigned reviewer, until they have submitted."""
    return is_active_assignment(assignment, user) and ASSIGNMENT.can_move(
        assignment.status, AssignmentStatus.SUBMITTED
    )


def can_reopen_review(assignment: ReviewAssignment, proposal: Proposal, user: User) -> bool:
    """The managers of the proposal's fund reopen a submitted review for its reviewer."""
    return can_manage_proposal(proposal, user) and ASSIGNMENT.can_move(
        assignment.status, AssignmentStatus.ASSIGNED
    )


def can_see_other_reviews(assignment: ReviewAssignment, rubric) -> bool:
    """Only after submitting one's own, and only where the call's rubric allows it."""
    return (
        assignment.status == AssignmentStatus.SUBMITTED
        and rubric is not None
        and rubric.show_others_after_submit
    )


def can_manage_reviews(user: User) -> bool:
    """Review management (rubrics, assignment, ranking, decisions, invitations): fund
    managers, each on the calls of the funds they manage, and administrators."""
    return is_manager(user) or can_administer(user)
