"""Read models for review pages."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from funds.accounts.models import Role, User, UserRole
from funds.proposals.models import Proposal
from reviews.assignment.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus
from reviews.assignment.rules import PairAction
from reviews.reviewing.permissions import can_reopen_review


@dataclass(frozen=True)
class CriterionLine:
    """One criterion of a submitted review: its score on the scale, what that level means
    (the rubric's anchor, if any) and the reviewer's comment on it."""

    criterion_id: int
    name: str
    score: int | None
    scale_max: int
    anchor: str
    comment: str


@dataclass(frozen=True)
class AnonymousReview:
    """What an applicant may see of a review: a label, never the reviewer."""

    label: str
    score: int | None  # the overall score of a call without a rubric
    total_bp: int | None  # the rubric total, in basis points of the maximum
    comment: str
    criteria: tuple[CriterionLine, ...] = ()


def criterion_lines(
    session: Session, review_ids: list[int]
) -> dict[int, tuple[CriterionLine, ...]]:
    """The per-criterion scores and comments of reviews, in the rubric's order."""
    from reviews.rubric.models import Criterion, CriterionAnchor, CriterionScore

    ids = [i for i in review_ids if i is not None]
    if not ids:
        return {}
    rows = session.exec(
        select(CriterionScore, Criterion, CriterionAnchor)
        .join(Criterion, col(Criterion.id) == CriterionScore.criterion_id)
        .join(
            CriterionAnchor,
            (col(CriterionAnchor.criterion_id) == Criterion.id)
            & (col(CriterionAnchor.level) == CriterionScore.score),
            isouter=True,
        )
        .where(col(CriterionScore.review_id).in_(ids))
        .order_by(col(Criterion.position), col(Criterion.id))
    ).all()
    found: dict[int, list[CriterionLine]] = {}
    for score, c, anchor in rows:
        found.setdefault(score.review_id, []).append(
            CriterionLine(
                c.id, c.name, score.score, c.scale_max, anchor.text if anchor else "", score.comment
            )
        )
    return {k: tuple(v) for k, v in found.items()}


def assignments_for_reviewer(session: Session, reviewer_id: int):
    """(assignment, proposal) rows for a reviewer's live assignments."""
    stmt = (
        select(ReviewAssignment, Proposal)
        .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
        .where(
            ReviewAssignment.reviewer_id == reviewer_id,
            ReviewAssignment.status != AssignmentStatus.DECLINED,
        )
        .order_by(col(ReviewAssignment.id))
    )
    return session.exec(stmt).all()


def assignment_for(session: Session, *, proposal_id: int, reviewer_id: int):
    return session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.proposal_id == proposal_id, ReviewAssignment.reviewer_id == reviewer_id
        )
    ).first()


def reviews_for_manager(session: Session, proposal_id: int):
    """(assignment, reviewer, submitted review or None) rows for the manager's view: a draft
    review stays the reviewer's until they submit it."""
    stmt = (
        select(ReviewAssignment, User, Review)
        .join(User, col(User.id) == ReviewAssignment.reviewer_id)
        .join(
            Review,
            (col(Review.assignment_id) == ReviewAssignment.id)
            & (col(Review.status) == ReviewStatus.SUBMITTED),
            isouter=True,
        )
        .where(ReviewAssignment.proposal_id == proposal_id)
        .order_by(col(ReviewAssignment.id))
    )
    return session.exec(stmt).all()


def anonymous_reviews(session: Session, proposal_id: int) -> list[AnonymousReview]:
    """Submitted reviews labelled A, B, C… in assignment order, with no identity."""
    stmt = (
        select(Review)
        .join(ReviewAssignment, col(Review.assignment_id) == ReviewAssignment.id)
        .where(ReviewAssignment.proposal_id == proposal_id, Review.status == ReviewStatus.SUBMITTED)
        .order_by(col(ReviewAssignment.id))
    )
    reviews = session.exec(stmt).all()
    lines = criterion_lines(session, [r.id for r in reviews])
    return [
        AnonymousReview(chr(ord("A") + i), r.score, r.total_bp, r.comment, lines.get(r.id, ()))
        for i, r in enumerate(reviews)
    ]


def available_reviewers(session: Session, proposal: Proposal):
    """Reviewers who could be assigned: holders of the role, not the PI, not yet assigned."""
    taken = select(ReviewAssignment.reviewer_id).where(ReviewAssignment.proposal_id == proposal.id)
    stmt = (
        select(User)
        .join(UserRole, col(UserRole.user_id) == User.id)
        .where(
            UserRole.role == Role.REVIEWER,
            User.is_active,
            User.id != proposal.pi_id,
            col(User.id).not_in(taken),
        )
        .order_by(User.name)
    )
    return session.exec(stmt).all()


def other_reviews(session: Session, assignment: ReviewAssignment) -> list[AnonymousReview]:
    """The other submitted reviews of the same proposal, anonymised, for a fellow reviewer."""
    stmt = (
        select(Review, ReviewAssignment)
        .join(ReviewAssignment, col(Review.assignment_id) == ReviewAssignment.id)
        .where(
            ReviewAssignment.proposal_id == assignment.proposal_id,
            Review.status == ReviewStatus.SUBMITTED,
        )
        .order_by(col(ReviewAssignment.id))
    )
    rows = session.exec(stmt).all()
    lines = criterion_lines(session, [r.id for r, _a in rows])
    return [
        AnonymousReview(chr(ord("A") + i), r.score, r.total_bp, r.comment, lines.get(r.id, ()))
        for i, (r, a) in enumerate(rows)
        if a.id != assignment.id
    ]


def biddable(session: Session, reviewer_id: int):
    """(proposal, bid level or None) for submitted proposals in calls that use a rubric.

    Bidding shows titles and areas only, never applicants.
    """
    from funds.proposals.models import ProposalStatus
    from reviews.pool.models import Bid
    from reviews.rubric.models import Rubric

    stmt = (
        select(Proposal)
        .join(Rubric, col(Rubric.call_id) == Proposal.call_id)
        .where(Proposal.status == ProposalStatus.SUBMITTED)
        .order_by(col(Proposal.id))
    )
    bids = {
        b.proposal_id: b.level
        for b in session.exec(select(Bid).where(Bid.reviewer_id == reviewer_id)).all()
    }
    return [(p, bids.get(p.id)) for p in session.exec(stmt).all()]


@dataclass(frozen=True)
class AssignmentRow:
    assignment: ReviewAssignment
    proposal: Proposal
    reviewer: User
    review: Review | None  # once submitted; a draft stays the reviewer's
    affinity: float | None
    pinned: PairAction  # PIN, FORBID or RELEASE (no constraint)
    can_reopen: bool

    @property
    def is_pinned(self) -> bool:
        return self.pinned == PairAction.PIN

    @property
    def is_forbidden(self) -> bool:
        return self.pinned == PairAction.FORBID


def call_assignments(session: Session, call_id: int, *, actor: User) -> list[AssignmentRow]:
    """Every assignment of a call with its reviewer, submitted review, affinity and pin, and
    whether the actor may reopen it, for managers."""
    from reviews.pool.models import AffinityScore, PairConstraint

    stmt = (
        select(ReviewAssignment, Proposal, User, Review)
        .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
        .join(User, col(User.id) == ReviewAssignment.reviewer_id)
        .join(
            Review,
            (col(Review.assignment_id) == ReviewAssignment.id)
            & (col(Review.status) == ReviewStatus.SUBMITTED),
            isouter=True,
        )
        .where(Proposal.call_id == call_id)
        .order_by(col(Proposal.id), col(ReviewAssignment.id))
    )
    rows = session.exec(stmt).all()
    pids = [p.id for _, p, _, _ in rows]
    aff = {
        (a.proposal_id, a.reviewer_id): (a.adjusted if a.adjusted is not None else a.score)
        for a in session.exec(select(AffinityScore).where(col(AffinityScore.proposal_id).in_(pids)))
    }
    pins = {
        (c.proposal_id, c.reviewer_id): c.value
        for c in session.exec(
            select(PairConstraint).where(col(PairConstraint.proposal_id).in_(pids))
        )
    }
    return [
        AssignmentRow(
            a,
            p,
            u,
            r,
            aff.get((p.id, u.id)),
            PairAction(pins.get((p.id, u.id), PairAction.RELEASE)),
            can_reopen_review(a, p, actor),
        )
        for a, p, u, r in rows
    ]


def call_titles(session: Session, call_id: int) -> dict[int, str]:
    """Titles of the call's proposals from submission on (drafts stay the applicant's)."""
    from funds.proposals.models import ProposalStatus

    return dict(
        session.exec(
            select(Proposal.id, Proposal.title).where(
                Proposal.call_id == call_id, Proposal.status != ProposalStatus.DRAFT
            )
        ).all()
    )
