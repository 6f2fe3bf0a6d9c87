"""The facts of proposals' timelines, read in a few batched queries (no writes).

Reviewer assignments and council meetings belong to `reviews`, which `funds` never imports:
they are read here as plain tables (as funds.projects.queries reads council seats)."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Date, column, table
from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.calls.models import Call
from funds.clock import to_local
from funds.contracts.models import Contract, ContractStatus
from funds.errors import N_, NotFound
from funds.hosts.models import Endorsement
from funds.projects.models import Award, AwardStatus
from funds.projects.queries import next_report
from funds.proposals.models import Decision, Proposal
from funds.timeline.permissions import can_view_timeline
from funds.timeline.rules import Facts, Timeline, timeline
from funds.types import UTCDateTime

_ASSIGNMENT = table(
    "review_assignment",
    column("proposal_id"),
    column("status"),
    column("assigned_at", UTCDateTime),
    column("due_on", Date),
)
_ITEM = table("meeting_item", column("proposal_id"), column("meeting_id"))
_MEETING = table("meeting", column("id"), column("starts_at", UTCDateTime))


def timeline_for(session: Session, *, proposal_id: int, actor: User, now: datetime) -> Timeline:
    """The timeline of a proposal the actor may see (NotFound otherwise)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_view_timeline(proposal, actor):
        raise NotFound(N_("No such proposal."))
    return timeline(facts_for(session, [proposal], now)[proposal.id], now)


def timelines_of_pi(session: Session, *, actor: User, now: datetime) -> dict[int, Timeline]:
    """The timelines of the actor's own proposals, by proposal id (for their list)."""
    mine = list(session.exec(select(Proposal).where(Proposal.pi_id == actor.id)).all())
    return {pid: timeline(f, now) for pid, f in facts_for(session, mine, now).items()}


def facts_for(
    session: Session, proposals: Sequence[Proposal], now: datetime, *, with_reports: bool = True
) -> dict[int, Facts]:
    """Each proposal's facts, from its records and the audit log (`with_reports=False` skips
    the next report's due date, one query per project, for counts that do not need it)."""
    ids = [p.id for p in proposals]
    if not ids:
        return {}
    calls = {
        c.id: c
        for c in session.exec(select(Call).where(col(Call.id).in_({p.call_id for p in proposals})))
    }
    endorsements = _latest_endorsements(session, ids)
    reviews = _reviews(session, ids)
    councils = _council_meetings(session, ids)
    decisions = {
        d.proposal_id: d
        for d in session.exec(select(Decision).where(col(Decision.proposal_id).in_(ids)))
    }
    contracts = _contract_dates(session, ids)
    awards = {
        a.proposal_id: a for a in session.exec(select(Award).where(col(Award.proposal_id).in_(ids)))
    }
    closed = _closed_at(session, [a.id for a in awards.values()])
    today = to_local(now).date()
    found = {}
    for p in proposals:
        call, e, d, a = (
            calls[p.call_id],
            endorsements.get(p.id),
            decisions.get(p.id),
            awards.get(p.id),
        )
        started, due = reviews.get(p.id, (None, None))
        found[p.id] = Facts(
            status=p.status,
            created_at=p.created_at,
            call_closes_at=_closes_at(call, p),
            requires_endorsement=bool(call.requires_endorsement),
            submitted_at=p.submitted_at,
            endorsement_status=e.status if e else None,
            endorsement_due_at=e.due_at if e else None,
            endorsed_at=e.decided_at if e else None,
            review_started_at=started,
            reviews_due_on=due,
            council_at=councils.get(p.id),
            decided_at=d.decided_at if d else None,
            outcome=d.outcome if d else None,
            contracted_on=contracts.get(p.id) or (a.contract_date if a else None),
            reporting_from=a.start_date if a else None,
            next_report_due=_next_report_due(session, a, today) if with_reports else None,
            closed_at=closed.get(a.id) if a else None,
            stage=p.stage if call.two_stage else None,
            full_closes_at=call.full_closes_at,
        )
    return found


def _closes_at(call: Call, p: Proposal) -> datetime:
    """The deadline of the proposal's stage: a two-stage call's full proposals have their own."""
    if call.two_stage and p.stage == "full" and call.full_closes_at is not None:
        return call.full_closes_at
    return call.closes_at


def _latest_endorsements(session: Session, ids: list[int]) -> dict[int, Endorsement]:
    found: dict[int, Endorsement] = {}
    rows = session.exec(
        select(Endorsement)
        .where(col(Endorsement.proposal_id).in_(ids))
        .order_by(col(Endorsement.id))
    )
    for e in rows:
        found[e.proposal_id] = e  # the latest version's, by id order
    return found


def _reviews(session: Session, ids: list[int]) -> dict[int, tuple[datetime | None, date | None]]:
    """Per proposal: when its first live assignment was made, and the last due date of the
    reviews still open."""
    a = _ASSIGNMENT.c
    started = dict(
        session.exec(
            select(a.proposal_id, func.min(a.assigned_at))
            .where(a.proposal_id.in_(ids), a.status != "declined")
            .group_by(a.proposal_id)
        ).all()
    )
    due = dict(
        session.exec(
            select(a.proposal_id, func.max(a.due_on))
            .where(a.proposal_id.in_(ids), a.status == "assigned")
            .group_by(a.proposal_id)
        ).all()
    )
    return {pid: (started.get(pid), due.get(pid)) for pid in started}


def _council_meetings(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Per proposal: the latest selection meeting with it on the agenda."""
    rows = session.exec(
        select(_ITEM.c.proposal_id, func.max(_MEETING.c.starts_at))
        .select_from(_ITEM.join(_MEETING, _MEETING.c.id == _ITEM.c.meeting_id))
        .where(_ITEM.c.proposal_id.in_(ids))
        .group_by(_ITEM.c.proposal_id)
    ).all()
    return {pid: at for pid, at in rows if at is not None}


def _contract_dates(session: Session, ids: list[int]) -> dict[int, date]:
    rows = session.exec(
        select(Contract.proposal_id, col(Contract.signed_on)).where(
            col(Contract.proposal_id).in_(ids), Contract.status == ContractStatus.IN_FORCE
        )
    ).all()
    return {pid: signed for pid, signed in rows if signed is not None}


def _closed_at(session: Session, award_ids: list[int]) -> dict[int, datetime]:
    """When each closed project was closed: its audit entry."""
    if not award_ids:
        return {}
    rows = session.exec(
        select(AuditEntry.object_id, func.max(AuditEntry.at))
        .where(
            AuditEntry.object_type == "award",
            col(AuditEntry.object_id).in_(award_ids),
            AuditEntry.to_state == AwardStatus.CLOSED,
        )
        .group_by(col(AuditEntry.object_id))
    ).all()
    return {aid: at for aid, at in rows if at is not None}


def _next_report_due(session: Session, award: Award | None, today: date) -> date | None:
    if award is None or award.status != AwardStatus.ACTIVE:
        return None
    return next_report(session, award, today).due
