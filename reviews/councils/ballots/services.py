"""Voting on a council item: casting an open vote or a secret ballot, closing the vote.

A secret ballot leaves two traces and no link between them: the member in `vote_cast` (who
voted: no time, no choice) and +1 in the item's tally of the choice (`ballot_tally`: a
counter, no time). Every tally row of the item is rewritten by each ballot (+1 on the chosen
one, +0 on the others), so no row-version stamp (PostgreSQL's xmin) tells which counter the
last ballot changed; the tallies are all created at 0 when voting opens, so their insertion
order says nothing; the audit entry says "voted", never what; nothing is logged. What this
does not protect against is in docs/councils.md ("Rating sheets and votes").
"""

from sqlalchemy import case, update
from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, RuleViolation
from funds.types import table_of
from reviews.councils.ballots.models import BallotTally, OpenVote, VoteCast
from reviews.councils.ballots.permissions import can_close_vote, is_voting
from reviews.councils.ballots.queries import counts, has_voted, is_secret, tallies
from reviews.councils.errors import NoQuorum
from reviews.councils.meetings.models import ItemStatus, Meeting, MeetingItem
from reviews.councils.meetings.queries import item_quorum
from reviews.councils.models import BallotKind, Council
from reviews.councils.rules import CHOICES, ITEM, Conclusion, conclude
from reviews.councils.sheets.permissions import takes_part
from reviews.councils.sheets.queries import ItemContext, item_context, sheet_scores
from reviews.councils.sheets.services import RANKED_KINDS, council_ranking
from reviews.rubric.rules import criteria_below_threshold, weighted_total

SECRET_VOTE_ACTION = "vote"  # the audit entry of a ballot: who voted, never what


def prepare_ballot(session: Session, *, item_id: int) -> None:
    """Create the item's tallies, one per choice at 0, when voting opens under a secret
    ballot (the councils part calls it with the move to voting; cast_vote makes sure)."""
    item = session.get_one(MeetingItem, item_id)
    meeting = session.get_one(Meeting, item.meeting_id)
    council = session.get_one(Council, meeting.council_id)
    if tallies(session, item_id):
        return
    session.add_all(
        BallotTally(item_id=item_id, choice=str(c), votes=0) for c in CHOICES[council.kind]
    )
    session.flush()


def cast_vote(session: Session, *, actor: User, item_id: int, choice: str) -> VoteCast:
    """The member's vote on the item, once, while it is voting, if present and not
    conflicted. Under the fund's secret ballot only the fact of voting and the count are
    kept; under an open vote, who voted what."""
    ctx = item_context(session, actor=actor, item_id=item_id)
    _check_voter(session, ctx, actor)
    if choice not in {str(c) for c in CHOICES[ctx.kind]}:
        raise RuleViolation(N_("Choose one of the answers on the ballot."))
    seat_id = ctx.seat.id  # type: ignore[union-attr]
    secret = is_secret(session, item_id) or ctx.spec.ballot == BallotKind.SECRET
    if secret:
        prepare_ballot(session, item_id=item_id)
    cast = VoteCast(item_id=item_id, seat_id=seat_id)
    session.add(cast)
    if secret:
        _add_to_tally(session, item_id, choice)
    else:
        session.add(OpenVote(item_id=item_id, seat_id=seat_id, choice=choice))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="meeting_item",
        object_id=item_id,
        action=SECRET_VOTE_ACTION if secret else "open_vote",
        detail="" if secret else choice,
    )
    session.flush()
    return cast


def _check_voter(session: Session, ctx: ItemContext, actor: User) -> None:
    if ctx.seat is None:
        raise NotAllowed(N_("Only the council's members vote."))
    if not is_voting(ctx):
        raise InvalidTransition(N_("Voting on this item is not open."))
    if not takes_part(ctx, actor):
        raise NotAllowed(
            N_(
                "Only members present at the meeting and without a conflict of interest on "
                "this item vote on it."
            )
        )
    if has_voted(session, ctx.item.id, ctx.seat.id):
        raise RuleViolation(N_("You have already voted on this item."))


def _add_to_tally(session: Session, item_id: int, choice: str) -> None:
    """+1 on the chosen tally and +0 on every other tally of the item, in one statement:
    every row of the item is rewritten alike, so the rows' versions cannot tell which one
    this ballot counted."""
    t = table_of(BallotTally)
    session.execute(
        update(t)
        .where(t.c.item_id == item_id)
        .values(votes=t.c.votes + case((t.c.choice == choice, 1), else_=0))
    )


def close_vote(
    session: Session,
    *,
    actor: User,
    item_id: int,
    requested_changes: str = "",
    dissent: str = "",
) -> Conclusion:
    """The secretary or the chair closes the vote: the conclusion under the fund's pass rule
    (rules.conclude) over the counts, the members present and not conflicted, their mean
    sheet score and the criteria below their minimum; stored with the requested changes and
    the dissenting opinions; a tie or a failure to reach the rule is no_conclusion."""
    ctx = item_context(session, actor=actor, item_id=item_id)
    if not can_close_vote(ctx, actor):
        if not is_voting(ctx):
            raise InvalidTransition(N_("Voting on this item is not open."))
        raise NotAllowed(N_("The secretary or the chair closes the vote."))
    q = item_quorum(session, ctx.item)
    if not q.ok:
        raise NoQuorum(q.reasons, present=q.present, needed=q.needed)
    conclusion = _conclusion(session, ctx, q.present)
    item = ctx.item
    item.conclusion = conclusion.recommendation
    item.requested_changes, item.dissent = requested_changes.strip(), dissent.strip()
    item.concluded_at = utcnow()
    ITEM.move(item, ItemStatus.CONCLUDED)
    session.add(item)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="meeting_item",
        object_id=item.id,
        action="close_vote",
        from_state=ItemStatus.VOTING,
        to_state=ItemStatus.CONCLUDED,
        detail=_published(conclusion),
    )
    session.flush()
    if ctx.kind in RANKED_KINDS:
        council_ranking(session, meeting_id=ctx.meeting.id)
    return conclusion


def _conclusion(session: Session, ctx: ItemContext, voters: int) -> Conclusion:
    scores = sheet_scores(session, ctx)
    means = scores.means
    average = weighted_total(scores.criteria, means) * 100 if scores.reviews else None
    below = criteria_below_threshold(scores.criteria, means) if scores.reviews else []
    return conclude(
        ctx.spec,
        counts(session, ctx.item.id, ctx.kind),
        voters,
        average_pct=average,
        criteria_below=[c.name for c in below],
    )


def _published(c: Conclusion) -> str:
    """The published count for the audit log: totals by choice, never who voted what."""
    tally = ", ".join(f"{choice} {n}" for choice, n in c.counts.items())
    tie = "; tie" if c.tie else ""
    return f"{tally}; voters {c.voters}; conclusion {c.recommendation}{tie}"
