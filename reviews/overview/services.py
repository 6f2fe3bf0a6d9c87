"""The overview's bulk action: remind a call's reviewers of their outstanding reviews."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.services import get_call_for_manager
from funds.clock import to_local
from funds.errors import N_, RuleViolation
from funds.notifications.services import notify
from funds.proposals.models import Proposal
from reviews.assignment.models import AssignmentStatus, ReviewAssignment

MAX_SELECTED = 1000  # reviewer ids one request may name; more is malformed input


@dataclass(frozen=True)
class Reminded:
    people: int
    reviews: int


def open_assignments(
    session: Session, *, call_id: int, reviewer_ids: list[int]
) -> list[ReviewAssignment]:
    """The open reviews in this call of these reviewers (ids of anyone else are ignored)."""
    return list(
        session.exec(
            select(ReviewAssignment)
            .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
            .where(
                Proposal.call_id == call_id,
                ReviewAssignment.status == AssignmentStatus.ASSIGNED,
                col(ReviewAssignment.reviewer_id).in_(reviewer_ids[:MAX_SELECTED]),
            )
            .order_by(col(ReviewAssignment.id))
        ).all()
    )


def remind_outstanding_reviewers(
    session: Session, *, actor: User, call_id: int, reviewer_ids: list[int], now: datetime
) -> Reminded:
    """A manager of the call's fund reminds the chosen reviewers of each review they still
    owe in it: one notification per review (inbox, and e-mail as each person chose — an
    overdue review's reminder is required), and one audit entry for the action."""
    call = get_call_for_manager(session, call_id=call_id, actor=actor)
    assignments = open_assignments(session, call_id=call.id, reviewer_ids=reviewer_ids)
    if not assignments:
        raise RuleViolation(N_("Choose at least one reviewer with a review still to submit."))
    today = to_local(now).date()
    for a in assignments:
        overdue = a.due_on is not None and a.due_on < today
        proposal = session.get_one(Proposal, a.proposal_id)
        notify(
            session,
            kind="review_overdue" if overdue else "review_reminder",
            user_id=a.reviewer_id,
            object_type="review_assignment",
            object_id=a.id,
            params={"title": proposal.title, "due_on": a.due_on or "—"},
            actor_id=actor.id,
        )
    people = len({a.reviewer_id for a in assignments})
    audit.record(
        session,
        actor_id=actor.id,
        object_type="call",
        object_id=call.id,
        action="remind_reviewers",
        detail=f"{people} reviewers, {len(assignments)} reviews: "
        + ",".join(str(a.id) for a in assignments)[:3000],
    )
    session.flush()
    return Reminded(people, len(assignments))
