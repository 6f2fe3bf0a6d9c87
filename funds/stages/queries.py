"""Reads of two-stage calls: a proposal's place in its call's stages."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from funds.calls.models import Call
from funds.calls.rules import Stage
from funds.letters.queries import letter_of
from funds.proposals.models import Decision, Proposal, ProposalStatus
from funds.stages.rules import OutlineFacts


@dataclass(frozen=True)
class StageView:
    """What a proposal's page says of its stage: which one, its deadline, the linked
    pre-proposal or full proposal."""

    stage: str
    deadline: datetime | None
    outline: Proposal | None  # a full proposal's pre-proposal
    full: Proposal | None  # a pre-proposal's full proposal, once started

    @property
    def is_outline(self) -> bool:
        return self.stage == Stage.OUTLINE


def full_of(session: Session, outline_id: int) -> Proposal | None:
    return session.exec(select(Proposal).where(Proposal.outline_id == outline_id)).first()


def stage_view(session: Session, proposal: Proposal) -> StageView | None:
    """The stage of a proposal of a two-stage call; None for a single-stage call."""
    call = session.get_one(Call, proposal.call_id)
    if not call.two_stage:
        return None
    outline = session.get(Proposal, proposal.outline_id) if proposal.outline_id else None
    is_outline = proposal.stage == Stage.OUTLINE
    return StageView(
        stage=proposal.stage,
        deadline=call.closes_at if is_outline else call.full_closes_at,
        outline=outline,
        full=full_of(session, proposal.id) if is_outline else None,
    )


def outline_facts(session: Session, outline: Proposal) -> OutlineFacts:
    """The pre-proposal as the full-proposal rule sees it."""
    call = session.get_one(Call, outline.call_id)
    decision = session.exec(select(Decision).where(Decision.proposal_id == outline.id)).first()
    return OutlineFacts(
        is_outline=call.two_stage and outline.stage == Stage.OUTLINE,
        shortlisted=outline.status == ProposalStatus.SHORTLISTED,
        invited=decision is not None and letter_of(session, decision.id) is not None,
        full_started=full_of(session, outline.id) is not None,
        full_closes_at=call.full_closes_at,
    )
