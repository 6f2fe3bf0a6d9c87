"""The managers' overview, read for the funds the actor manages only (no writes)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.calls.queries import managed_fund_ids
from funds.calls.services import get_call_for_manager
from funds.clock import to_local
from funds.contracts.models import Contract, ContractSignature, ContractStatus, Party
from funds.hosts.models import Endorsement, EndorsementStatus
from funds.projects.models import (
    Award,
    AwardStatus,
    ChangeRequest,
    ChangeStatus,
    Closeout,
    ProgressReport,
    ReportStatus,
)
from funds.proposals.models import Proposal
from funds.timeline.queries import facts_for
from funds.timeline.rules import timeline
from reviews.assignment.models import AssignmentStatus, ReviewAssignment
from reviews.overview.rules import Counts, ProposalStage, Waiting, WaitingItem, count


@dataclass(frozen=True)
class CallCounts:
    fund: Fund
    call: Call
    counts: Counts


@dataclass(frozen=True)
class Overview:
    calls: list[CallCounts]
    waiting: list[WaitingItem]


def overview_for(session: Session, *, actor: User, now: datetime) -> Overview:
    """Counts by stage per call and what waits, for the funds the actor manages (nothing of
    any other fund; nothing at all for someone who manages none)."""
    fund_ids = managed_fund_ids(session, actor)
    if not fund_ids:
        return Overview([], [])
    calls = session.exec(
        select(Call, Fund)
        .join(Fund, col(Fund.id) == Call.fund_id)
        .where(col(Call.fund_id).in_(fund_ids))
        .order_by(col(Fund.code), col(Call.opens_at), col(Call.id))
    ).all()
    call_ids = [c.id for c, _f in calls]
    proposals = list(session.exec(select(Proposal).where(col(Proposal.call_id).in_(call_ids))))
    facts = facts_for(session, proposals, now, with_reports=False)
    overdue = _overdue_reviews(session, call_ids, now)
    by_call: dict[int, list[ProposalStage]] = {cid: [] for cid in call_ids}
    for p in proposals:
        f = facts[p.id]
        by_call[p.call_id].append(
            ProposalStage(
                p.status,
                timeline(f, now),
                f.requires_endorsement and f.endorsement_status == EndorsementStatus.PENDING,
            )
        )
    rows = [CallCounts(f, c, count(by_call[c.id], overdue.get(c.id, 0))) for c, f in calls]
    titles = {c.id: c.title for c, _f in calls}
    waiting = [
        WaitingItem(Waiting.REVIEWS_OVERDUE, titles[cid], cid, n) for cid, n in overdue.items()
    ]
    waiting += _waiting_on_proposals(session, call_ids, now)
    waiting += _waiting_on_projects(session, fund_ids, call_ids)
    return Overview(rows, waiting)


def _overdue_reviews(session: Session, call_ids: list[int], now: datetime) -> dict[int, int]:
    """Per call: reviews still open after their due date (a Vietnam calendar day)."""
    today = to_local(now).date()
    rows = session.exec(
        select(Proposal.call_id, func.count(col(ReviewAssignment.id)))
        .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
        .where(
            col(Proposal.call_id).in_(call_ids),
            ReviewAssignment.status == AssignmentStatus.ASSIGNED,
            col(ReviewAssignment.due_on) < today,
        )
        .group_by(col(Proposal.call_id))
    ).all()
    return {cid: n for cid, n in rows if n}


def _waiting_on_proposals(session: Session, call_ids: list[int], now: datetime):
    """Endorsements whose period ran out unanswered, on a proposal still submitted."""
    rows = session.exec(
        select(Proposal.id, Proposal.title)
        .join(Endorsement, col(Endorsement.proposal_id) == Proposal.id)
        .where(
            col(Proposal.call_id).in_(call_ids),
            Proposal.status == "submitted",
            Endorsement.status == EndorsementStatus.PENDING,
            col(Endorsement.due_at) < now,
        )
        .order_by(col(Proposal.id))
    ).all()
    return [WaitingItem(Waiting.ENDORSEMENT_EXPIRED, title, pid) for pid, title in rows]


def _waiting_on_projects(session: Session, fund_ids: list[int], call_ids: list[int]):
    """Change requests to decide, reports to evaluate and contracts to sign."""
    projects = (
        select(Award.id, Proposal.title)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .where(col(Proposal.call_id).in_(call_ids))
    )
    items = []
    for kind, condition in (
        (
            Waiting.CHANGE_TO_DECIDE,
            select(ChangeRequest.award_id).where(ChangeRequest.status == ChangeStatus.PENDING),
        ),
        (
            Waiting.REPORT_TO_EVALUATE,
            select(ProgressReport.award_id).where(ProgressReport.status == ReportStatus.SUBMITTED),
        ),
        (
            Waiting.FINAL_REPORT_TO_EVALUATE,
            select(Closeout.award_id)
            .join(Award, col(Award.id) == Closeout.award_id)
            .where(
                col(Closeout.final_report_at).is_not(None),
                col(Closeout.rating).is_(None),
                Award.status == AwardStatus.ACTIVE,
            ),
        ),
    ):
        pending = session.exec(condition).all()
        counted: dict[int, int] = {}
        for award_id in pending:
            counted[award_id] = counted.get(award_id, 0) + 1
        if counted:
            for award_id, title in session.exec(
                projects.where(col(Award.id).in_(list(counted))).order_by(col(Award.id))
            ).all():
                items.append(WaitingItem(kind, title, award_id, counted[award_id]))
    return items + _contracts_to_sign(session, fund_ids)


def _contracts_to_sign(session: Session, fund_ids: list[int]):
    signed_by_fund = select(ContractSignature.contract_id).where(
        ContractSignature.party == Party.FUND
    )
    rows = session.exec(
        select(Contract.id, Proposal.title)
        .join(Proposal, col(Proposal.id) == Contract.proposal_id)
        .where(
            col(Contract.fund_id).in_(fund_ids),
            Contract.status == ContractStatus.AWAITING_SIGNATURES,
            col(Contract.id).not_in(signed_by_fund),
        )
        .order_by(col(Contract.id))
    ).all()
    return [WaitingItem(Waiting.CONTRACT_TO_SIGN, title, cid) for cid, title in rows]


@dataclass(frozen=True)
class Outstanding:
    """A reviewer with reviews still to submit in one call."""

    reviewer: User
    reviews: int
    earliest_due: date | None
    overdue: bool  # at least one of them is past its due date


def outstanding_reviewers(
    session: Session, *, actor: User, call_id: int, now: datetime
) -> list[Outstanding]:
    """The call's reviewers with open reviews, most overdue first (the call's managers only;
    NotFound for anyone else)."""
    get_call_for_manager(session, call_id=call_id, actor=actor)
    today = to_local(now).date()
    rows = session.exec(
        select(ReviewAssignment, User)
        .join(Proposal, col(Proposal.id) == ReviewAssignment.proposal_id)
        .join(User, col(User.id) == ReviewAssignment.reviewer_id)
        .where(Proposal.call_id == call_id, ReviewAssignment.status == AssignmentStatus.ASSIGNED)
        .order_by(col(User.name), col(User.id))
    ).all()
    people: dict[int, list] = {}
    for a, u in rows:
        people.setdefault(u.id, [u, []])[1].append(a.due_on)
    found = []
    for u, dues in people.values():
        known = [d for d in dues if d is not None]
        earliest = min(known) if known else None
        found.append(Outstanding(u, len(dues), earliest, earliest is not None and earliest < today))
    return sorted(found, key=lambda o: (not o.overdue, o.earliest_due or date.max, o.reviewer.name))
