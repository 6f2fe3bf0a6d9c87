"""Read models for review pages."""

from dataclasses import dataclass

from sqlmodel import Session, select

from funds.models.accounts import Role, User, UserRole
from funds.models.proposals import Proposal
from reviews.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus


@dataclass(frozen=True)
class AnonymousReview:
    """What an applicant may see of a review: a label, never the reviewer."""

    label: str
    score: int | None
    comment: str


def assignments_for_reviewer(session: Session, reviewer_id: int):
    """(assignment, proposal) rows for a reviewer's live assignments."""
    stmt = (select(ReviewAssignment, Proposal)
            .join(Proposal, Proposal.id == ReviewAssignment.proposal_id)
            .where(ReviewAssignment.reviewer_id == reviewer_id,
                   ReviewAssignment.status != AssignmentStatus.DECLINED)
            .order_by(ReviewAssignment.id))
    return session.exec(stmt).all()


def assignment_for(session: Session, *, proposal_id: int, reviewer_id: int):
    return session.exec(select(ReviewAssignment).where(
        ReviewAssignment.proposal_id == proposal_id,
        ReviewAssignment.reviewer_id == reviewer_id)).first()


def reviews_for_manager(session: Session, proposal_id: int):
    """(assignment, reviewer, review or None) rows for the manager's view."""
    stmt = (select(ReviewAssignment, User, Review)
            .join(User, User.id == ReviewAssignment.reviewer_id)
            .join(Review, Review.assignment_id == ReviewAssignment.id, isouter=True)
            .where(ReviewAssignment.proposal_id == proposal_id)
            .order_by(ReviewAssignment.id))
    return session.exec(stmt).all()


def anonymous_reviews(session: Session, proposal_id: int) -> list[AnonymousReview]:
    """Submitted reviews labelled A, B, C… in assignment order, with no identity."""
    stmt = (select(Review).join(ReviewAssignment, Review.assignment_id == ReviewAssignment.id)
            .where(ReviewAssignment.proposal_id == proposal_id,
                   Review.status == ReviewStatus.SUBMITTED)
            .order_by(ReviewAssignment.id))
    return [AnonymousReview(chr(ord("A") + i), r.score, r.comment)
            for i, r in enumerate(session.exec(stmt).all())]


def available_reviewers(session: Session, proposal: Proposal):
    """Reviewers who could be assigned: holders of the role, not the PI, not yet assigned."""
    taken = select(ReviewAssignment.reviewer_id).where(
        ReviewAssignment.proposal_id == proposal.id)
    stmt = (select(User).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.REVIEWER, User.is_active,
                   User.id != proposal.pi_id, User.id.not_in(taken))
            .order_by(User.name))
    return session.exec(stmt).all()
