"""Rubrics and rubric-based reviews."""

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.services import get_call_for_manager
from funds.errors import N_, NotFound, RuleViolation
from funds.proposals.services import get_proposal_for_manager
from reviews.assignment.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus
from reviews.assignment.rules import ASSIGNMENT, REVIEW
from reviews.rubric.models import Criterion, CriterionScore, Rubric
from reviews.rubric.rules import (
    CriterionRule,
)

DEFAULT_CRITERIA = [  # name, description, weight, scale, threshold
    (N_("Scientific merit"), N_("Novelty, soundness and significance of the research."), 3, 5, 3),
    (N_("Feasibility"), N_("Work plan, milestones, budget and risks."), 2, 5, 2),
    (
        N_("Impact and commercialisation"),
        N_("Outputs, users, partners and path to market."),
        2,
        5,
        2,
    ),
    (N_("Team"), N_("Track record and effort of the team."), 1, 5, 2),
]


def rubric_for_call(session: Session, call_id: int) -> Rubric | None:
    return session.exec(select(Rubric).where(Rubric.call_id == call_id)).first()


def criteria_of(session: Session, rubric: Rubric) -> list[Criterion]:
    return list(
        session.exec(
            select(Criterion)
            .where(Criterion.rubric_id == rubric.id)
            .order_by(col(Criterion.position), col(Criterion.id))
        ).all()
    )


def rules_of(criteria: list[Criterion]) -> list[CriterionRule]:
    return [CriterionRule(c.id, c.name, c.weight, c.scale_max, c.threshold) for c in criteria]


def _managed_rubric(session: Session, actor: User, rubric_id: int) -> Rubric:
    """The rubric if the actor manages its call's fund; otherwise NotFound."""
    rubric = session.get(Rubric, rubric_id)
    if rubric is None:
        raise NotFound(N_("No such rubric."))
    get_call_for_manager(session, call_id=rubric.call_id, actor=actor)
    return rubric


def create_default_rubric(session: Session, *, actor: User, call_id: int) -> Rubric:
    """Give a call the default rubric (editable afterwards); the fund's managers only."""
    get_call_for_manager(session, call_id=call_id, actor=actor)
    if rubric_for_call(session, call_id):
        raise RuleViolation(N_("This call already has a rubric."))
    rubric = Rubric(call_id=call_id)
    session.add(rubric)
    session.flush()
    for i, (name, desc, weight, scale, threshold) in enumerate(DEFAULT_CRITERIA):
        session.add(
            Criterion(
                rubric_id=rubric.id,
                position=i,
                name=name,
                description=desc,
                weight=weight,
                scale_max=scale,
                threshold=threshold,
            )
        )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="create",
        detail=f"call {call_id}",
    )
    session.flush()
    return rubric


def update_rubric(
    session: Session,
    *,
    actor: User,
    rubric_id: int,
    total_threshold: int,
    show_others_after_submit: bool,
    per_proposal: int,
) -> Rubric:
    """Change the call's total threshold, visibility rule and reviewers per proposal."""
    rubric = _managed_rubric(session, actor, rubric_id)
    if not 0 <= total_threshold <= 100 or not 1 <= per_proposal <= 20:
        raise RuleViolation(N_("Thresholds go from 0 to 100; 1 to 20 reviewers per proposal."))
    rubric.total_threshold, rubric.show_others_after_submit, rubric.per_proposal = (
        total_threshold,
        show_others_after_submit,
        per_proposal,
    )
    session.add(rubric)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="update",
        detail=f"threshold {total_threshold}",
    )
    session.flush()
    return rubric


def add_criterion(
    session: Session,
    *,
    actor: User,
    rubric_id: int,
    name: str,
    description: str,
    weight: int,
    scale_max: int,
    threshold: int,
) -> Criterion:
    """Add a criterion while no review has been scored against the rubric."""
    rubric = _managed_rubric(session, actor, rubric_id)
    if not (weight > 0 and 2 <= scale_max <= 100 and 0 <= threshold <= scale_max):
        raise RuleViolation(
            N_("Weights are positive; scales go from 2 to 100; a threshold lies within the scale.")
        )
    position = len(criteria_of(session, rubric))
    criterion = Criterion(
        rubric_id=rubric.id,
        position=position,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        scale_max=scale_max,
        threshold=threshold,
    )
    session.add(criterion)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rubric",
        object_id=rubric.id,
        action="add_criterion",
        detail=name[:200],
    )
    return criterion


def scores_of(session: Session, review: Review | None) -> dict[int, CriterionScore]:
    if review is None or review.id is None:
        return {}
    rows = session.exec(select(CriterionScore).where(CriterionScore.review_id == review.id))
    return {r.criterion_id: r for r in rows.all()}


def reopen_review(session: Session, *, actor: User, assignment_id: int) -> Review:
    """Only a manager of the fund reopens a submitted review; the reviewer may then change it."""
    assignment = session.get(ReviewAssignment, assignment_id)
    if assignment is None:
        raise NotFound(N_("No such review assignment."))
    get_proposal_for_manager(session, proposal_id=assignment.proposal_id, actor=actor)
    ASSIGNMENT.check(
        assignment.status, AssignmentStatus.ASSIGNED, N_("Only a submitted review can be reopened.")
    )
    review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).one()
    REVIEW.move(review, ReviewStatus.DRAFT, N_("Only a submitted review can be reopened."))
    ASSIGNMENT.move(assignment, AssignmentStatus.ASSIGNED)
    session.add_all([review, assignment])
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="reopen_review",
        from_state=AssignmentStatus.SUBMITTED,
        to_state=AssignmentStatus.ASSIGNED,
    )
    session.flush()
    return review
