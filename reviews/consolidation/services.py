"""Consolidation: ranking with thresholds and ties, consensus reports, the funding line."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import column, table
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.calls.rules import Stage
from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.compliance.models import SlateAcknowledgement
from funds.compliance.slate import impact_of, needs_acknowledgement
from funds.errors import N_, InvalidTransition, NotFound, RuleViolation
from funds.hosts.queries import endorsement_ok
from funds.proposals.models import DecisionOutcome, Proposal, ProposalStatus
from funds.proposals.rules import PROPOSAL, ranking_stage
from funds.proposals.services import get_proposal_for_manager, record_decision
from reviews.assignment.models import Review, ReviewAssignment, ReviewStatus
from reviews.consolidation.rules import Ranked, ScoredReview, funding_line, rank_proposals
from reviews.rubric.models import ConsensusReport, CriterionScore, FundingOverride
from reviews.rubric.services import criteria_of, rubric_for_call, rules_of

SKELETON_SCALE = 10  # the overall score's scale when a call has no rubric


@dataclass(frozen=True)
class CallRanking:
    rows: list[Ranked]
    funded: dict[int, bool]
    overrides: dict[int, FundingOverride]
    budget_vnd: int
    ties: tuple[tuple[int, ...], ...] = ()  # equal scores split by the line: to be decided
    tied_ids: frozenset[int] = frozenset()


def submitted_reviews(session: Session, call_id: int) -> list[ScoredReview]:
    """Submitted reviews of the call's proposals: totals in basis points and, for rubric
    reviews, the score given to each criterion."""
    stmt = (
        select(Review, ReviewAssignment)
        .join(ReviewAssignment, col(Review.assignment_id) == ReviewAssignment.id)
        .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
        .where(Proposal.call_id == call_id, Review.status == ReviewStatus.SUBMITTED)
    )
    pairs = session.exec(stmt).all()
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    ids = [review.id for review, _a in pairs]
    for cs in session.exec(
        select(CriterionScore).where(
            col(CriterionScore.review_id).in_(ids), col(CriterionScore.score).is_not(None)
        )
    ).all():
        scores[cs.review_id][cs.criterion_id] = cs.score or 0
    out = []
    for review, a in pairs:
        total = (
            review.total_bp
            if review.total_bp is not None
            else ((review.score or 0) * 10_000 // SKELETON_SCALE)
        )
        out.append(ScoredReview(a.proposal_id, a.reviewer_id, total, scores.get(review.id, {})))
    return out


def call_ranking(session: Session, call_id: int) -> CallRanking:
    """Ranked proposals of a call with the funding line and the manager's overrides."""
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(N_("No such call."))
    rubric = rubric_for_call(session, call_id)
    every = session.exec(select(Proposal).where(Proposal.call_id == call_id)).all()
    stage = ranking_stage(call.two_stage, {p.stage for p in every})
    proposals = {p.id: p for p in every if p.stage == stage}  # two stages: never mixed
    rows = rank_proposals(
        [r for r in submitted_reviews(session, call_id) if r.proposal_id in proposals],
        {pid: p.requested_vnd for pid, p in proposals.items()},
        criteria=rules_of(criteria_of(session, rubric)) if rubric else [],
        threshold_bp=(rubric.total_threshold if rubric else 0) * 100,
    )
    overrides = {
        o.proposal_id: o
        for o in session.exec(
            select(FundingOverride).where(col(FundingOverride.proposal_id).in_(list(proposals)))
        ).all()
    }
    line = funding_line(rows, call.budget_vnd, {k: o.include for k, o in overrides.items()})
    return CallRanking(rows, line.funded, overrides, call.budget_vnd, line.ties, line.tied_ids)


def override_funding(
    session: Session, *, actor: User, proposal_id: int, include: bool, reason: str
) -> FundingOverride:
    """Move a proposal above or below the funding line; the reason is logged."""
    get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if not reason.strip():
        raise RuleViolation(N_("An override needs a reason."))
    row = session.exec(
        select(FundingOverride).where(FundingOverride.proposal_id == proposal_id)
    ).first()
    row = row or FundingOverride(
        proposal_id=proposal_id, include=include, reason="", actor_id=actor.id
    )
    row.include, row.reason, row.actor_id, row.at = include, reason.strip(), actor.id, utcnow()
    session.add(row)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="funding_override",
        object_id=proposal_id,
        action="override",
        to_state="include" if include else "exclude",
        detail=reason[:500],
    )
    session.flush()
    return row


def save_consensus(
    session: Session, *, actor: User, proposal_id: int, text: str, approve: bool = False
) -> ConsensusReport:
    """The rapporteur (a manager of the fund) writes the consensus report; approval is
    logged."""
    get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    row = session.exec(
        select(ConsensusReport).where(ConsensusReport.proposal_id == proposal_id)
    ).first()
    row = row or ConsensusReport(proposal_id=proposal_id, author_id=actor.id)
    row.text = text.strip()
    if approve:
        row.approved_by, row.approved_at = actor.id, utcnow()
        audit.record(
            session,
            actor_id=actor.id,
            object_type="consensus_report",
            object_id=proposal_id,
            action="approve",
            to_state="approved",
        )
    session.add(row)
    session.flush()
    return row


def funded_ids(ranking: CallRanking) -> list[int]:
    return sorted(pid for pid, funded in ranking.funded.items() if funded)


def unacknowledged_years(session: Session, proposal_ids: list[int]) -> list[int]:
    """Fiscal years the slate leaves below the strategic floor (Resolution 57-NQ/TW §III.3),
    unless a manager acknowledged exactly this slate on the budget check page. Shortlisting
    a two-stage call's pre-proposals funds nothing: they are left out."""
    proposal_ids = [
        pid for pid in proposal_ids if session.get_one(Proposal, pid).stage != Stage.OUTLINE
    ]
    if not proposal_ids:
        return []
    _rows, impacts = impact_of(session, proposal_ids, fund_ids=None)  # the caller checked
    below = needs_acknowledgement(impacts)
    key = ",".join(map(str, sorted(proposal_ids)))
    acknowledged = session.exec(
        select(SlateAcknowledgement).where(SlateAcknowledgement.proposal_ids == key)
    ).first()
    return [] if acknowledged else below


def refuse_undecided_ties(session: Session, ranking: CallRanking) -> None:
    """Equal scores split by the budget are the manager's (or the council's) decision."""
    if not ranking.ties:
        return
    groups = [
        ", ".join(f"«{session.get_one(Proposal, pid).title}»" for pid in group)
        for group in ranking.ties
    ]
    raise RuleViolation(
        N_(
            "Tie at the funding line: %(proposals)s have the same score and the budget "
            "does not fund them all. Decide between them first: move proposals across "
            "the line, each with a reason."
        ),
        proposals="; ".join(groups),
    )


def refuse_unendorsed(session: Session, proposal_ids: list[int]) -> None:
    """A proposal whose call requires its host's endorsement is funded only once endorsed
    (funds.hosts): the whole slate is refused, naming each one, before anything is recorded."""
    missing = [pid for pid in proposal_ids if not endorsement_ok(session, pid)]
    if missing:
        raise RuleViolation(
            N_(
                "Not endorsed by their host organisation, as their call requires: "
                "%(proposals)s. They cannot be funded without it."
            ),
            proposals="; ".join(f"«{session.get_one(Proposal, pid).title}»" for pid in missing),
        )


# The councils' table, by name: reviews.councils reuses this package's slate check, so this
# package does not import it back (tests/unit/test_architecture.py forbids the cycle).
_COUNCIL = table("council", column("call_id"), column("kind"), column("status"))


def has_selection_council(session: Session, call_id: int) -> bool:
    """A call with a selection council (not dissolved) decides through the council
    (reviews.councils.decisions.services.decide_selection); the funding line stays for funds
    without councils."""
    found = session.exec(
        select(_COUNCIL.c.call_id).where(
            _COUNCIL.c.call_id == call_id,
            _COUNCIL.c.kind == "selection",
            _COUNCIL.c.status != "dissolved",
        )
    ).first()
    return found is not None


def apply_funding_line(
    session: Session, *, actor: User, call_id: int, notes: dict[int, str] | None = None
) -> int:
    """Record funded / not funded for every submitted proposal of the call, per the line
    (`notes`: a proposal's decision note, e.g. its place in a lottery at the line).

    A tie at the line must be decided by the manager first (never by the id), and a slate
    that leaves a fiscal year below the strategic-technology floor needs the manager's
    explicit, logged acknowledgement.
    """
    get_call_for_manager(session, call_id=call_id, actor=actor)
    if has_selection_council(session, call_id):
        raise InvalidTransition(
            N_(
                "This call has a selection council: the fund decides on the council's "
                "recommendations, citing its signed minutes, not by the funding line."
            )
        )
    ranking = call_ranking(session, call_id)
    refuse_undecided_ties(session, ranking)
    refuse_unendorsed(session, funded_ids(ranking))
    years = unacknowledged_years(session, funded_ids(ranking)) if funded_ids(ranking) else []
    if years:
        raise RuleViolation(
            N_(
                "This slate leaves fiscal year(s) %(years)s below the "
                "strategic-technology floor: acknowledge it on the budget "
                "check first."
            ),
            years=", ".join(map(str, years)),
        )
    decided = 0
    for row in ranking.rows:
        proposal = session.get_one(Proposal, row.proposal_id)
        if not PROPOSAL.can_move(proposal.status, ProposalStatus.FUNDED):
            continue  # decided already, or withdrawn
        outcome = (
            DecisionOutcome.FUNDED
            if ranking.funded[row.proposal_id]
            else DecisionOutcome.NOT_FUNDED
        )
        note = (notes or {}).get(proposal.id, "")
        record_decision(session, actor=actor, proposal_id=proposal.id, outcome=outcome, note=note)
        decided += 1
    return decided


def consensus_for(session: Session, proposal_id: int) -> ConsensusReport | None:
    return session.exec(
        select(ConsensusReport).where(ConsensusReport.proposal_id == proposal_id)
    ).first()
