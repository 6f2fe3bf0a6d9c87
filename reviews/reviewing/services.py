"""Review use cases: assigning reviewers, what a reviewer may read, writing reviews."""

from dataclasses import dataclass

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation, StaleEdit
from funds.proposals.models import Proposal
from funds.proposals.services import get_proposal_for_manager
from funds.rules import Violation
from reviews.assignment.models import (
    SCORE_MAX,
    SCORE_MIN,
    AssignmentStatus,
    Review,
    ReviewAssignment,
    ReviewStatus,
)
from reviews.assignment.rules import ASSIGNMENT, REVIEW
from reviews.pool.models import ConflictDeclaration, ReviewerProfile
from reviews.reviewing.permissions import (
    can_assign,
    can_read_proposal_as_reviewer,
    can_review,
    can_see_summary_as_reviewer,
    is_active_assignment,
    is_reviewer,
)


def assign_reviewer(
    session: Session, *, actor: User, proposal_id: int, reviewer_id: int
) -> ReviewAssignment:
    """A manager of the fund assigns a reviewer to a submitted proposal (once per pair)."""
    proposal = get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if not can_assign(proposal, actor):
        raise NotAllowed(N_("Only fund managers can assign reviewers to submitted proposals."))
    reviewer = session.get(User, reviewer_id)
    if reviewer is None or not is_reviewer(reviewer):
        raise NotFound(N_("No such reviewer."))
    if reviewer.id == proposal.pi_id:
        raise RuleViolation(N_("Applicants cannot review their own proposal."))
    existing = session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.proposal_id == proposal_id, ReviewAssignment.reviewer_id == reviewer_id
        )
    ).first()
    if existing is not None:
        raise RuleViolation(N_("This reviewer is already assigned to this proposal."))
    assignment = ReviewAssignment(
        proposal_id=proposal_id, reviewer_id=reviewer_id, assigned_by=actor.id
    )
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="assign",
        to_state=AssignmentStatus.ASSIGNED,
        detail=f"proposal {proposal_id}",
    )
    return assignment


def get_assignment_for(session: Session, *, assignment_id: int, actor: User) -> ReviewAssignment:
    """The reviewer's own live assignment, or NotFound."""
    assignment = session.get(ReviewAssignment, assignment_id)
    if assignment is None or not is_active_assignment(assignment, actor):
        raise NotFound(N_("No such review assignment."))
    return assignment


@dataclass(frozen=True)
class ReviewerAccess:
    """Where a reviewer stands on an assignment: confidentiality, then the declaration."""

    assignment: ReviewAssignment
    profile: ReviewerProfile | None
    declaration: ConflictDeclaration | None


@dataclass(frozen=True)
class ProposalSummary:
    """What a reviewer sees before declaring: the title and the summary, nothing else."""

    id: int
    title: str
    abstract: str


def reviewer_access(session: Session, *, actor: User, assignment_id: int) -> ReviewerAccess:
    """The reviewer's own live assignment with their profile and declaration, or NotFound."""
    assignment = get_assignment_for(session, assignment_id=assignment_id, actor=actor)
    profile = session.exec(
        select(ReviewerProfile).where(ReviewerProfile.user_id == actor.id)
    ).first()
    declaration = session.exec(
        select(ConflictDeclaration).where(
            ConflictDeclaration.proposal_id == assignment.proposal_id,
            ConflictDeclaration.reviewer_id == actor.id,
        )
    ).first()
    return ReviewerAccess(assignment, profile, declaration)


def summary_for_declaration(
    session: Session, *, actor: User, assignment_id: int
) -> ProposalSummary:
    """Title and summary to declare on, once the confidentiality statement is accepted."""
    access = reviewer_access(session, actor=actor, assignment_id=assignment_id)
    if not can_see_summary_as_reviewer(access.assignment, actor, access.profile):
        raise NotAllowed(N_("Accept the confidentiality statement first."))
    proposal = session.get_one(Proposal, access.assignment.proposal_id)
    return ProposalSummary(proposal.id, proposal.title, proposal.abstract)


def require_reader(session: Session, *, actor: User, assignment_id: int) -> ReviewerAccess:
    """Refuse (NotAllowed) unless confidentiality is accepted and no conflict declared."""
    access = reviewer_access(session, actor=actor, assignment_id=assignment_id)
    if not can_read_proposal_as_reviewer(
        access.assignment, actor, access.profile, access.declaration
    ):
        raise NotAllowed(
            N_(
                "Accept the confidentiality statement and declare that you have "
                "no conflict of interest before reading the proposal."
            )
        )
    return access


def proposal_for_reviewer(session: Session, *, actor: User, assignment_id: int) -> Proposal:
    """The whole assigned proposal, after confidentiality and a declaration of no conflict."""
    access = require_reader(session, actor=actor, assignment_id=assignment_id)
    return session.get_one(Proposal, access.assignment.proposal_id)


def score_violations(score: int | None, comment: str, *, final: bool) -> list[Violation]:
    """A submitted review needs a score in range and a comment."""
    found = []
    if score is not None and not SCORE_MIN <= score <= SCORE_MAX:
        found.append(
            Violation(
                "score", N_("Scores go from %(lo)s to %(hi)s."), {"lo": SCORE_MIN, "hi": SCORE_MAX}
            )
        )
    if final and score is None:
        found.append(Violation("score", N_("Give a score before submitting.")))
    if final and not comment.strip():
        found.append(Violation("comment", N_("Write a comment before submitting.")))
    return found


def save_review(
    session: Session,
    *,
    actor: User,
    assignment_id: int,
    score: int | None,
    comment: str,
    submit: bool,
    expected_version: int | None = None,
) -> Review:
    """Save (and optionally submit) the reviewer's review of an assigned proposal."""
    assignment, review = review_to_write(session, actor=actor, assignment_id=assignment_id)
    violations = score_violations(score, comment, final=submit)
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)
    if (
        review.id is not None
        and expected_version is not None
        and review.version_id != expected_version
    ):
        raise StaleEdit(N_("This review was saved elsewhere after you opened it."))
    review.score, review.comment, review.updated_at = score, comment, utcnow()
    session.add_all([review, assignment])
    if submit:
        submit_review(session, actor=actor, assignment=assignment, review=review)
    session.flush()
    return review


def review_to_write(
    session: Session, *, actor: User, assignment_id: int
) -> tuple[ReviewAssignment, Review]:
    """The reader's assignment while its review may still change, and that review (a new one
    if none was saved yet); both saving paths, with and without a rubric, start here."""
    assignment = require_reader(session, actor=actor, assignment_id=assignment_id).assignment
    if not can_review(assignment, actor):
        raise InvalidTransition(N_("This review has already been submitted."))
    review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    return assignment, review or Review(assignment_id=assignment.id)


def submit_review(
    session: Session, *, actor: User, assignment: ReviewAssignment, review: Review
) -> None:
    """Submit a checked review: both machines move, the submission is audited. The one way a
    review is submitted, with or without a rubric (reviews.rubric.services)."""
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="submit_review",
        from_state=assignment.status,
        to_state=AssignmentStatus.SUBMITTED,
    )
    REVIEW.move(review, ReviewStatus.SUBMITTED)
    ASSIGNMENT.move(assignment, AssignmentStatus.SUBMITTED)
    review.submitted_at = utcnow()
    session.add_all([review, assignment])
