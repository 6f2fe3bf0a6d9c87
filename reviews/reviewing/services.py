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
from reviews.assignment.permissions import can_assign
from reviews.assignment.rules import ASSIGNMENT, REVIEW
from reviews.assignment.services import announce_assignment, get_assignment_for
from reviews.pool.models import ConflictDeclaration, ReviewerProfile
from reviews.pool.permissions import is_reviewer
from reviews.pool.services import declaration_for
from reviews.reviewing.permissions import (
    can_read_proposal_as_reviewer,
    can_review,
    can_see_summary_as_reviewer,
)
from reviews.rubric.models import CriterionScore, Rubric
from reviews.rubric.rules import (
    criterion_violations,
    total_basis_points,
    weighted_total,
)
from reviews.rubric.services import criteria_of, rubric_for_call, rules_of, scores_of


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
    announce_assignment(session, assignment, actor=actor)
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


def save_rubric_review(
    session: Session,
    *,
    actor: User,
    assignment_id: int,
    scores: dict[int, int | None],
    comments: dict[int, str],
    comment: str,
    submit: bool,
) -> Review:
    """Autosave or submit a review scored on the call's rubric."""
    assignment, review = review_to_write(session, actor=actor, assignment_id=assignment_id)
    rubric = _rubric_of_assignment(session, assignment)
    criteria = criteria_of(session, rubric)
    violations = criterion_violations(rules_of(criteria), scores, comments, final=submit)
    if violations:
        raise RuleViolation(N_("The review cannot be saved as it is."), violations)
    review.comment, review.updated_at = comment, utcnow()
    given = {k: v for k, v in scores.items() if v is not None}
    review.total_bp = total_basis_points(weighted_total(rules_of(criteria), given))
    session.add(review)
    session.flush()
    _store_scores(session, review, criteria, scores, comments)
    if submit:
        submit_review(session, actor=actor, assignment=assignment, review=review)
    session.flush()
    return review


def _rubric_of_assignment(session: Session, assignment: ReviewAssignment) -> Rubric:
    from funds.proposals.models import Proposal

    proposal = session.get_one(Proposal, assignment.proposal_id)
    rubric = rubric_for_call(session, proposal.call_id)
    if rubric is None:
        raise NotFound(N_("This call has no rubric."))
    return rubric


def _store_scores(session, review, criteria, scores, comments) -> None:
    existing = scores_of(session, review)
    for c in criteria:
        row = existing.get(c.id) or CriterionScore(review_id=review.id, criterion_id=c.id)
        row.score, row.comment = scores.get(c.id), comments.get(c.id, "")
        session.add(row)


def declare_conflict(
    session: Session, *, actor: User, assignment_id: int, has_conflict: bool, reason: str = ""
) -> ConflictDeclaration:
    """The reviewer declares, after the confidentiality statement and after title and summary
    only; a conflict ends the assignment."""
    access = reviewer_access(session, actor=actor, assignment_id=assignment_id)
    assignment = access.assignment
    if not can_see_summary_as_reviewer(assignment, actor, access.profile):
        raise NotAllowed(N_("Accept the confidentiality statement first."))
    if access.declaration is not None:
        raise RuleViolation(N_("You have already declared for this proposal."))
    if has_conflict and not reason.strip():
        raise RuleViolation(N_("Say briefly what the conflict is."))
    declaration = ConflictDeclaration(
        proposal_id=assignment.proposal_id,
        reviewer_id=actor.id,
        has_conflict=has_conflict,
        reason=reason.strip(),
    )
    session.add(declaration)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="declare_conflict",
        to_state="conflict" if has_conflict else "no_conflict",
    )
    if has_conflict:
        ASSIGNMENT.move(assignment, AssignmentStatus.DECLINED)
        session.add(assignment)
    session.flush()
    return declaration


def override_conflict(
    session: Session, *, actor: User, proposal_id: int, reviewer_id: int, reason: str
) -> ConflictDeclaration:
    """A manager of the fund clears a (declared or detected) conflict; the reason is logged."""
    get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if not reason.strip():
        raise RuleViolation(N_("An override needs a reason."))
    declaration = declaration_for(session, proposal_id, reviewer_id) or ConflictDeclaration(
        proposal_id=proposal_id, reviewer_id=reviewer_id, has_conflict=False
    )
    declaration.has_conflict, declaration.overridden_by = False, actor.id
    declaration.reason = reason.strip()
    session.add(declaration)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="conflict",
        object_id=proposal_id,
        action="override",
        to_state="cleared",
        detail=f"reviewer {reviewer_id}: {reason}",
    )
    session.flush()
    return declaration


def reviewer_attachment(session: Session, *, actor: User, assignment_id: int, attachment_id: int):
    """An attachment of the assigned proposal, after the confidentiality statement and a
    declaration of no conflict (NotAllowed before; NotFound for another proposal's file)."""
    from funds.proposals.models import Attachment

    assignment = require_reader(session, actor=actor, assignment_id=assignment_id).assignment
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.proposal_id != assignment.proposal_id:
        raise NotFound(N_("No such file."))
    return attachment
