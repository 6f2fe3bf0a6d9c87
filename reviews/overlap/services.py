"""Screening a submitted proposal for overlap, and the managers' decisions on the pairs."""

from collections.abc import Iterable

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.limits.queries import limits_of
from funds.proposals.models import Proposal, ProposalStatus
from funds.rules import Violation
from reviews.affinity.rules import ProposalText
from reviews.overlap.models import OverlapDecision, OverlapFlag, RegisterTask
from reviews.overlap.permissions import can_decide_flag
from reviews.overlap.rules import NOTE_MAX_CHARS, close_pairs, keywords_of

# Compared with: proposals awaiting a decision and funded ones (projects, running or done).
# Drafts are the applicant's alone; a proposal not funded may be proposed again elsewhere.
COMPARED = (ProposalStatus.SUBMITTED, ProposalStatus.FUNDED)
REGISTER = "register"


def proposal_text(p: Proposal) -> ProposalText:
    return ProposalText(
        id=p.id,
        title_vi=p.title,
        title_en=p.title_en or "",
        abstract=p.abstract,
        keywords=keywords_of(p.keywords or ""),
    )


def register_text(t: RegisterTask) -> ProposalText:
    return ProposalText(
        id=(REGISTER, t.id),
        title_vi=t.title,
        title_en=t.title_en,
        abstract=t.summary,
        keywords=keywords_of(t.keywords),
    )


def _candidates(session: Session, proposal: Proposal) -> list[ProposalText]:
    others = session.exec(
        select(Proposal)
        .where(Proposal.id != proposal.id, col(Proposal.status).in_(COMPARED))
        .order_by(col(Proposal.id))
    ).all()
    tasks = session.exec(select(RegisterTask).order_by(col(RegisterTask.id))).all()
    return [proposal_text(p) for p in others] + [register_text(t) for t in tasks]


def screen_proposal(
    session: Session, *, proposal_id: int, actor_id: int | None = None
) -> list[OverlapFlag]:
    """Compare a submitted proposal with every proposal and project of every fund and the
    task register; flag each pair at or above its fund's threshold (a pair flagged before
    keeps its decision and gets the new score). Run by the task queue after submission."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or proposal.status != ProposalStatus.SUBMITTED:
        return []
    fund_id = session.get_one(Call, proposal.call_id).fund_id
    limits = limits_of(session, fund_id)
    found = close_pairs(
        proposal_text(proposal), _candidates(session, proposal), threshold=limits.threshold
    )
    flags = _save(session, proposal.id, found, limits.overlap_threshold_pct)
    audit.record(
        session,
        actor_id=actor_id,
        object_type="proposal",
        object_id=proposal.id,
        action="screen_overlap",
        detail=f"{len(flags)} pair(s) at or above {limits.overlap_threshold_pct}%",
    )
    return flags


def _save(session: Session, proposal_id: int, found: Iterable, threshold_pct: int):
    existing = {
        (f.other_proposal_id, f.register_task_id): f
        for f in session.exec(select(OverlapFlag).where(OverlapFlag.proposal_id == proposal_id))
    }
    flags = []
    for other, score in found:
        key = (None, other[1]) if isinstance(other, tuple) else (other, None)
        flag = existing.get(key) or OverlapFlag(
            proposal_id=proposal_id,
            other_proposal_id=key[0],
            register_task_id=key[1],
            score=score,
            threshold_pct=threshold_pct,
        )
        flag.score, flag.threshold_pct, flag.found_at = round(score, 4), threshold_pct, utcnow()
        session.add(flag)
        flags.append(flag)
    session.flush()
    return flags


def decide_flag(
    session: Session, *, actor: User, flag_id: int, decision: str, note: str = ""
) -> OverlapFlag:
    """The managers of the screened proposal's fund say whether the pair is distinct,
    overlapping or duplicate work, with a note; audited (a later decision replaces it)."""
    flag = session.get(OverlapFlag, flag_id)
    if flag is None:
        raise NotFound(N_("No such pair."))
    proposal = session.get_one(Proposal, flag.proposal_id)
    if not can_decide_flag(proposal, actor):
        raise NotAllowed(N_("Only the managers of the proposal's fund decide on this pair."))
    if decision not in set(OverlapDecision):
        raise RuleViolation(
            N_("Choose a decision."), [Violation("decision", N_("Choose a decision."))]
        )
    note = note.strip()
    if len(note) > NOTE_MAX_CHARS:
        raise RuleViolation(
            N_("The note is too long."),
            [Violation("note", N_("At most %(limit)s characters."), {"limit": NOTE_MAX_CHARS})],
        )
    before = flag.decision
    flag.decision, flag.note = decision, note
    flag.decided_by, flag.decided_at = actor.id, utcnow()
    session.add(flag)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="overlap_flag",
        object_id=flag.id,
        action="decide",
        from_state=before,
        to_state=decision,
        detail=note[:500],
    )
    return flag


def rescreen_proposal(session: Session, *, actor: User, proposal_id: int) -> list[OverlapFlag]:
    """A manager of the proposal's fund screens it again (after a register import)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_decide_flag(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return screen_proposal(session, proposal_id=proposal_id, actor_id=actor.id)
