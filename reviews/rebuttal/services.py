"""The response: the manager opens the period once the reviews are complete, the principal
investigator reads the anonymised reviews and answers once within it (docs/rebuttal.md)."""

from datetime import datetime

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.notifications.services import notify
from funds.proposals.models import Proposal
from reviews.rebuttal import queries
from reviews.rebuttal.errors import ReviewsIncomplete, WindowClosed
from reviews.rebuttal.models import Rebuttal
from reviews.rebuttal.permissions import call_allows_response, can_respond
from reviews.rebuttal.rules import answer_violations, closes_at, counted, incomplete


def open_responses(
    session: Session, *, actor: User, call_id: int, now: datetime | None = None
) -> list[Rebuttal]:
    """Open the response period for every proposal of the call awaiting its decision, once
    all their external reviews are complete and before the council meets; each principal
    investigator is notified."""
    call = get_call_for_manager(session, call_id=call_id, actor=actor)
    if not call_allows_response(call):
        raise NotAllowed(N_("This call gives applicants no response period."))
    if queries.windows_of_call(session, call.id):
        raise InvalidTransition(N_("The response period of this call is open already."))
    if queries.council_met(session, call.id):
        raise WindowClosed()
    proposals = queries.proposals_awaiting(session, call.id)
    if not proposals:
        raise RuleViolation(N_("No submitted proposal awaits its decision in this call."))
    missing = incomplete(queries.review_states(session, [p.id for p in proposals]))
    if missing:
        titles = {p.id: p.title for p in proposals}
        raise ReviewsIncomplete("; ".join(f"«{titles[pid]}»" for pid in missing))
    start = now or utcnow()
    return [_open_one(session, actor, call, p, start) for p in proposals]


def _open_one(session: Session, actor: User, call: Call, p: Proposal, start: datetime) -> Rebuttal:
    row = Rebuttal(
        proposal_id=p.id,
        opens_at=start,
        closes_at=closes_at(start, call.rebuttal_days),
        max_chars=call.rebuttal_max_chars,
        opened_by=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rebuttal",
        object_id=row.id,
        action="open",
        to_state="open",
        detail=f"proposal={p.id} closes_at={row.closes_at.isoformat()}",
    )
    notify(
        session,
        kind="rebuttal_open",
        object_type="rebuttal",
        object_id=p.id,
        user_id=p.pi_id,
        params={"title": p.title, "closes_at": row.closes_at, "max": row.max_chars},
        actor_id=actor.id,
    )
    return row


def response_for_applicant(session: Session, *, actor: User, proposal_id: int) -> Rebuttal:
    """The proposal's response window, for its principal investigator only (NotFound for
    anyone else, and when no window was opened)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_respond(proposal, actor):
        raise NotFound(N_("No such proposal."))
    row = queries.rebuttal_of(session, proposal.id)
    if row is None:
        raise NotFound(N_("No response period is open for this proposal."))
    return row


def submit_response(
    session: Session, *, actor: User, proposal_id: int, text: str, now: datetime | None = None
) -> Rebuttal:
    """Send the answer, once, within the window and the call's characters (counted here)."""
    row = response_for_applicant(session, actor=actor, proposal_id=proposal_id)
    proposal = session.get_one(Proposal, proposal_id)
    if row.submitted_at is not None:
        raise InvalidTransition(N_("Your response has been sent already."))
    at = now or utcnow()
    if not queries.window_open(session, row, proposal.call_id, at):
        raise WindowClosed()
    problems = answer_violations(text, row.max_chars)
    if problems:
        raise RuleViolation(problems[0].message, problems, **problems[0].params)
    row.text, row.submitted_at, row.author_id = counted(text), at, actor.id
    session.add(row)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="rebuttal",
        object_id=row.id,
        action="submit",
        from_state="open",
        to_state="submitted",
        detail=f"proposal={proposal_id} chars={len(row.text)}",
    )
    session.flush()
    return row
