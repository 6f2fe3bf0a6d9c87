"""Use cases of two-stage calls: a shortlisted applicant starts the full proposal, filled in
from the pre-proposal (summary, work plan, budget and team), in the same call."""

from datetime import datetime

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.clock import utcnow
from funds.errors import N_, CallClosed, NotAllowed, NotFound
from funds.profiles.models import CoInvestigator
from funds.proposals import sections
from funds.proposals.models import Proposal
from funds.proposals.services import copied_values, create_draft, get_proposal_for
from funds.proposals.team import add_member
from funds.stages.queries import full_of, outline_facts
from funds.stages.rules import DEADLINE_PASSED, full_proposal_refusal


def start_full_proposal(
    session: Session, *, actor: User, outline_id: int, now: datetime | None = None
) -> Proposal:
    """The PI of a shortlisted, invited pre-proposal starts its full proposal before the full
    proposals' deadline; a second call returns the full proposal already started."""
    outline = get_proposal_for(session, proposal_id=outline_id, actor=actor)
    if outline.pi_id != actor.id:
        raise NotFound(N_("No such proposal."))
    started = full_of(session, outline.id)
    if started is not None:
        return started
    now = now or utcnow()
    facts = outline_facts(session, outline)
    refusal = full_proposal_refusal(facts, now)
    if refusal is not None:
        error = CallClosed if refusal == DEADLINE_PASSED else NotAllowed
        raise error(refusal, closes_at=facts.full_closes_at)
    values = copied_values(session, outline)
    full = create_draft(
        session, actor=actor, call_id=outline.call_id, outline_id=outline.id, now=now, **values
    )
    _copy_team(session, actor=actor, outline=outline, full=full)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="proposal",
        object_id=full.id,
        action="start_full",
        detail=f"outline={outline.id}",
    )
    session.flush()
    return full


def _copy_team(session: Session, *, actor: User, outline: Proposal, full: Proposal) -> None:
    """Members who confirmed the outline's team stay confirmed; the others get a new link."""
    for member in sections.team(session, outline.id):
        if member.confirmed_at is None:
            add_member(
                session,
                actor=actor,
                proposal_id=full.id,
                name=member.name,
                email=member.email,
                institution=member.institution,
                role=member.role,
                effort_pct=member.effort_pct,
            )
            continue
        session.add(
            CoInvestigator(
                proposal_id=full.id,
                user_id=member.user_id,
                name=member.name,
                email=member.email,
                institution=member.institution,
                role=member.role,
                effort_pct=member.effort_pct,
                confirmed_at=member.confirmed_at,
            )
        )
    session.flush()
