"""Read models of votes: who has voted (never what, for a secret ballot) and the count."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from reviews.councils.ballots.models import BallotTally, OpenVote, VoteCast
from reviews.councils.meetings.models import MeetingItem, Recommendation
from reviews.councils.models import Council
from reviews.councils.rules import CHOICES, is_tie


def has_voted(session: Session, item_id: int, seat_id: int | None) -> bool:
    if seat_id is None:
        return False
    return (
        session.exec(
            select(VoteCast.id).where(VoteCast.item_id == item_id, VoteCast.seat_id == seat_id)
        ).first()
        is not None
    )


def votes_cast(session: Session, item_id: int) -> int:
    """How many members have voted: shown live; the count by choice only after closing."""
    return session.exec(
        select(func.count()).select_from(VoteCast).where(VoteCast.item_id == item_id)
    ).one()


def tallies(session: Session, item_id: int) -> list[BallotTally]:
    return list(session.exec(select(BallotTally).where(BallotTally.item_id == item_id)).all())


def is_secret(session: Session, item_id: int) -> bool:
    """An item's ballot is secret once its tallies exist (made when voting opens, by the
    fund's rule then): a later change of the rule does not change a vote under way."""
    return bool(tallies(session, item_id))


def counts(session: Session, item_id: int, kind: str) -> dict[str, int]:
    """Votes per choice of the item's kind: the secret tallies, or the open votes counted."""
    out = {str(c): 0 for c in CHOICES[kind]}
    if secret := tallies(session, item_id):
        out.update({t.choice: t.votes for t in secret})
    else:
        rows = session.exec(
            select(OpenVote.choice, func.count())
            .where(OpenVote.item_id == item_id)
            .group_by(col(OpenVote.choice))
        ).all()
        out.update(dict(rows))
    return out


@dataclass(frozen=True)
class VoteResult:
    """A concluded item's published count and conclusion; a tie is shown as such."""

    conclusion: str
    counts: dict[str, int]
    cast: int
    tie: bool
    no_conclusion: bool
    secret: bool


def vote_result(session: Session, item: MeetingItem, council: Council) -> VoteResult:
    """The count of a concluded item as it is published to the meeting."""
    tally = counts(session, item.id, council.kind)
    failed = item.conclusion == Recommendation.NO_CONCLUSION
    return VoteResult(
        item.conclusion or "",
        tally,
        votes_cast(session, item.id),
        failed and is_tie(council.kind, tally),
        failed,
        is_secret(session, item.id),
    )
