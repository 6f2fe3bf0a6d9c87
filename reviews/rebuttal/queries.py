"""Reads for the response: the reviews' state per proposal, whether the council met, and
what the applicant and the council see."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import column, func, table
from sqlmodel import Session, col, select

from funds.proposals.models import Proposal, ProposalStatus
from reviews.assignment.models import AssignmentStatus, Review, ReviewAssignment, ReviewStatus
from reviews.rebuttal.models import Rebuttal
from reviews.rebuttal.rules import ReviewState, is_open
from reviews.reviewing.queries import AnonymousReview, anonymous_reviews


def proposals_awaiting(session: Session, call_id: int) -> list[Proposal]:
    """The call's submitted proposals not yet decided."""
    stmt = select(Proposal).where(
        Proposal.call_id == call_id, Proposal.status == ProposalStatus.SUBMITTED
    )
    return list(session.exec(stmt.order_by(col(Proposal.id))).all())


def review_states(session: Session, proposal_ids: list[int]) -> list[ReviewState]:
    """Each proposal's assignments still waiting and reviews submitted."""
    waiting = dict(
        session.exec(
            select(ReviewAssignment.proposal_id, func.count())
            .where(
                col(ReviewAssignment.proposal_id).in_(proposal_ids),
                ReviewAssignment.status == AssignmentStatus.ASSIGNED,
            )
            .group_by(col(ReviewAssignment.proposal_id))
        ).all()
    )
    submitted = dict(
        session.exec(
            select(ReviewAssignment.proposal_id, func.count())
            .join(Review, col(Review.assignment_id) == ReviewAssignment.id)
            .where(
                col(ReviewAssignment.proposal_id).in_(proposal_ids),
                Review.status == ReviewStatus.SUBMITTED,
            )
            .group_by(col(ReviewAssignment.proposal_id))
        ).all()
    )
    return [ReviewState(pid, waiting.get(pid, 0), submitted.get(pid, 0)) for pid in proposal_ids]


# The councils' tables, by name: reviews.councils shows the response on its items, so this
# package does not import it back (tests/unit/test_architecture.py forbids the cycle).
_COUNCIL = table("council", column("id"), column("call_id"), column("kind"), column("status"))
_MEETING = table("meeting", column("council_id"), column("opened_at"))


def council_met(session: Session, call_id: int) -> bool:
    """A selection council of the call (not dissolved) has opened a meeting."""
    stmt = (
        select(_MEETING.c.council_id)
        .join(_COUNCIL, _COUNCIL.c.id == _MEETING.c.council_id)
        .where(
            _COUNCIL.c.call_id == call_id,
            _COUNCIL.c.kind == "selection",
            _COUNCIL.c.status != "dissolved",
            _MEETING.c.opened_at.is_not(None),
        )
    )
    return session.exec(stmt).first() is not None


def rebuttal_of(session: Session, proposal_id: int) -> Rebuttal | None:
    return session.exec(select(Rebuttal).where(Rebuttal.proposal_id == proposal_id)).first()


def windows_of_call(session: Session, call_id: int) -> list[Rebuttal]:
    stmt = (
        select(Rebuttal)
        .join(Proposal, col(Proposal.id) == Rebuttal.proposal_id)
        .where(Proposal.call_id == call_id)
    )
    return list(session.exec(stmt).all())


def window_open(session: Session, rebuttal: Rebuttal, call_id: int, now: datetime) -> bool:
    met = council_met(session, call_id)
    return is_open(now, rebuttal.opens_at, rebuttal.closes_at, council_met=met)


@dataclass(frozen=True)
class ResponseView:
    """What the council (and the manager) read: the anonymised reviews and the answer."""

    reviews: list[AnonymousReview]
    rebuttal: Rebuttal | None

    @property
    def answered(self) -> bool:
        return self.rebuttal is not None and self.rebuttal.submitted_at is not None


def response_view(session: Session, proposal_id: int) -> ResponseView:
    """The proposal's anonymised reviews and the applicant's answer, for those already
    checked to read them (the council's members on its item, the fund's managers)."""
    return ResponseView(anonymous_reviews(session, proposal_id), rebuttal_of(session, proposal_id))
