"""Assigning a call's reviewers optimally (reviews.assign), keeping what is already assigned."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from funds import audit
from funds.accounts.models import Role, User, UserRole
from funds.calls.services import get_call_for_manager
from funds.clock import to_local, utcnow
from funds.errors import N_, NotFound, RuleViolation
from funds.jobs.services import NoProgress, ProgressReport
from funds.notifications.rules import Schedule, reminder_for
from funds.notifications.services import notify
from funds.profiles.models import Publication
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.services import get_proposal_for_manager
from reviews.affinity.rules import ProposalText, ReviewerText, compute_affinities
from reviews.assignment.models import (
    AssignmentStatus,
    ReviewAssignment,
)
from reviews.assignment.permissions import is_active_assignment
from reviews.assignment.rules import ASSIGNMENT, REVIEW_PERIOD_DAYS, PairAction
from reviews.assignment.solver.api import ScoreTable, solve_assignment
from reviews.pool.models import (
    AffinityScore,
    Bid,
    BidLevel,
    PairConstraint,
)
from reviews.pool.services import conflicted_pairs, profile_of

EAGER_BONUS = 0.05  # an eager bid adds this much to the pair's affinity


@dataclass(frozen=True)
class AssignmentOutcome:
    created: int
    total_score: float
    optimal_total: float
    min_proposal_total: float
    optimal_min_proposal_total: float
    fairness_method: str | None


def call_proposals(session: Session, call_id: int) -> list[Proposal]:
    return list(
        session.exec(
            select(Proposal)
            .where(Proposal.call_id == call_id, Proposal.status == ProposalStatus.SUBMITTED)
            .order_by(col(Proposal.id))
        ).all()
    )


def pool(session: Session) -> list[User]:
    """Active reviewers whose profile says they are available."""
    users = session.exec(
        select(User)
        .join(UserRole, col(UserRole.user_id) == User.id)
        .where(UserRole.role == Role.REVIEWER, User.is_active)
        .order_by(col(User.id))
    ).all()
    return [u for u in users if profile_of(session, u.id).available]


def _proposal_text(p: Proposal) -> ProposalText:
    keywords = [k.strip() for k in (getattr(p, "keywords", "") or "").split(";") if k.strip()]
    return ProposalText(
        id=p.id,
        title_vi=p.title,
        title_en=getattr(p, "title_en", "") or "",
        abstract=p.abstract,
        keywords=keywords,
        area=p.area_code,
    )


def _reviewer_text(session: Session, u: User) -> ReviewerText:
    profile = profile_of(session, u.id)
    pubs = session.exec(select(Publication.title).where(Publication.user_id == u.id)).all()
    return ReviewerText(
        id=u.id,
        keywords=[k for k in profile.keywords.split(";") if k.strip()],
        publications=list(pubs),
        areas=[a for a in profile.areas.split(",") if a],
    )


AFFINITY_CHUNK = 1000  # scores saved between two progress reports (and cancel checks)


def compute_call_affinities(
    session: Session, *, actor: User, call_id: int, progress: ProgressReport | None = None
) -> int:
    """Score every reviewer against every submitted proposal; managers' adjustments stay.
    Run in a job, it reports its stages and the scores saved to `progress`."""
    progress = progress or NoProgress()
    progress.stage(N_("Computing affinities"))
    get_call_for_manager(session, call_id=call_id, actor=actor)
    proposals, reviewers = call_proposals(session, call_id), pool(session)
    frame = compute_affinities(
        [_proposal_text(p) for p in proposals],
        [_reviewer_text(session, u) for u in reviewers],
        top_n=300,
    )
    existing = {
        (a.proposal_id, a.reviewer_id): a
        for a in session.exec(
            select(AffinityScore).where(
                col(AffinityScore.proposal_id).in_([p.id for p in proposals])
            )
        )
    }
    progress.stage(N_("Saving the affinities"), len(frame))
    for index, (pid, rid, score) in enumerate(frame.itertuples(index=False), start=1):
        row = existing.get((int(pid), int(rid))) or AffinityScore(
            proposal_id=int(pid), reviewer_id=int(rid)
        )
        row.score = float(score)
        session.add(row)
        if index % AFFINITY_CHUNK == 0:
            session.flush()
            progress.advance(AFFINITY_CHUNK)
    session.flush()
    return len(frame)


def adjust_affinity(
    session: Session, *, actor: User, proposal_id: int, reviewer_id: int, score: float | None
) -> AffinityScore:
    """A manager sets (or clears, with None) the score the solver uses for a pair."""
    get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    if score is not None and not 0 <= score <= 2:
        raise RuleViolation(N_("Affinity scores go from 0 to 2."))
    row = session.exec(
        select(AffinityScore).where(
            AffinityScore.proposal_id == proposal_id, AffinityScore.reviewer_id == reviewer_id
        )
    ).first()
    row = row or AffinityScore(proposal_id=proposal_id, reviewer_id=reviewer_id)
    row.adjusted = score
    session.add(row)
    audit.record(
        session,
        actor_id=actor.id,
        object_type="affinity",
        object_id=proposal_id,
        action="adjust",
        detail=f"reviewer {reviewer_id}: {score}",
    )
    session.flush()
    return row


def set_pair_constraint(
    session: Session,
    *,
    actor: User,
    proposal_id: int,
    reviewer_id: int,
    value: int,
    reason: str = "",
) -> PairConstraint | None:
    """Pin (+1), forbid (-1) or release (0) a pair before re-solving."""
    action = PairAction(value)
    if action == PairAction.CLEAR_CONFLICT:
        raise ValueError("clearing a conflict is reviews.pool.services.override_conflict")
    get_proposal_for_manager(session, proposal_id=proposal_id, actor=actor)
    row = session.exec(
        select(PairConstraint).where(
            PairConstraint.proposal_id == proposal_id, PairConstraint.reviewer_id == reviewer_id
        )
    ).first()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="pair_constraint",
        object_id=proposal_id,
        action=action.name.lower(),
        detail=f"reviewer {reviewer_id}: {reason}",
    )
    if action == PairAction.RELEASE:
        if row is not None:
            session.delete(row)
        session.flush()
        return None
    row = row or PairConstraint(
        proposal_id=proposal_id, reviewer_id=reviewer_id, value=value, created_by=actor.id
    )
    row.value, row.reason = value, reason
    session.add(row)
    session.flush()
    return row


def _scores(session, proposals, reviewers):
    affinity = {
        (a.proposal_id, a.reviewer_id): (a.adjusted if a.adjusted is not None else a.score)
        for a in session.exec(
            select(AffinityScore).where(
                col(AffinityScore.proposal_id).in_([p.id for p in proposals])
            )
        )
    }
    bids = {
        (b.proposal_id, b.reviewer_id): b.level
        for b in session.exec(
            select(Bid).where(col(Bid.proposal_id).in_([p.id for p in proposals]))
        )
    }
    rows = []
    for p in proposals:
        for r in reviewers:
            bonus = EAGER_BONUS if bids.get((p.id, r.id)) == BidLevel.EAGER else 0.0
            rows.append((p.id, r.id, affinity.get((p.id, r.id), 0.0) + bonus))
    return rows, bids


def _forbidden(session, proposals, reviewers, bids):
    pids = [p.id for p in proposals]
    forbidden = set(conflicted_pairs(session, proposals, reviewers))
    forbidden |= {k for k, level in bids.items() if level == BidLevel.NOT_WILLING}
    forbidden |= {
        (a.proposal_id, a.reviewer_id)
        for a in session.exec(
            select(ReviewAssignment).where(
                col(ReviewAssignment.proposal_id).in_(pids),
                ReviewAssignment.status == AssignmentStatus.DECLINED,
            )
        )
    }
    constraints = session.exec(
        select(PairConstraint).where(col(PairConstraint.proposal_id).in_(pids))
    ).all()
    forbidden |= {
        (c.proposal_id, c.reviewer_id) for c in constraints if c.value == PairAction.FORBID
    }
    forced = {(c.proposal_id, c.reviewer_id) for c in constraints if c.value == PairAction.PIN}
    return forbidden, forced - forbidden


def assign_call(
    session: Session,
    *,
    actor: User,
    call_id: int,
    per_proposal: int,
    fairness_tolerance: float | None = None,
    progress: ProgressReport | None = None,
) -> AssignmentOutcome:
    """Fill every submitted proposal up to `per_proposal` reviewers, optimally.

    Live assignments stay fixed, so the same call re-solves after a decline or a pin.
    Conflicted, unwilling, declined and forbidden pairs are never assigned. Run as a job,
    it reports its stages to `progress` and stops between them when asked to.
    """
    progress = progress or NoProgress()
    progress.stage(N_("Reading the scores and conflicts"))
    get_call_for_manager(session, call_id=call_id, actor=actor)
    proposals, reviewers = call_proposals(session, call_id), pool(session)
    if not proposals:
        raise RuleViolation(N_("No submitted proposal to assign."))
    rows, bids = _scores(session, proposals, reviewers)
    forbidden, forced = _forbidden(session, proposals, reviewers, bids)
    rows = [r for r in rows if (r[0], r[1]) not in forbidden]
    fixed = [
        (a.proposal_id, a.reviewer_id) for a in live_assignments(session, [p.id for p in proposals])
    ]
    table = ScoreTable.from_pairs(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        proposals=[p.id for p in proposals],
        reviewers=[u.id for u in reviewers],
    )
    loads: dict[Hashable, int] = {u.id: profile_of(session, u.id).max_load for u in reviewers}
    progress.stage(N_("Solving the assignment"))
    result = solve_assignment(
        table,
        per_proposal=per_proposal,
        max_load=loads,
        forced=[f for f in forced if f not in set(fixed)],
        fixed=fixed,
        forbidden=[f for f in forbidden if f[1] in loads],
        fairness_tolerance=fairness_tolerance,
    )
    pairs = list(result.pairs())
    progress.stage(N_("Writing the assignments"), len(pairs))
    created = _write(session, actor, pairs, skip=set(fixed), progress=progress)  # forced too
    return AssignmentOutcome(
        created,
        result.total_score,
        result.optimal_total,
        result.min_proposal_total,
        result.optimal_min_proposal_total,
        result.fairness_method,
    )


def _write(session, actor, pairs, *, skip, progress) -> int:
    created = 0
    for pid, rid, score in pairs:
        progress.advance()
        if (pid, rid) in skip:
            continue
        a = ReviewAssignment(proposal_id=int(pid), reviewer_id=int(rid), assigned_by=actor.id)
        session.add(a)
        session.flush()
        announce_assignment(session, a, actor=actor)
        audit.record(
            session,
            actor_id=actor.id,
            object_type="review_assignment",
            object_id=a.id,
            action="assign",
            to_state=AssignmentStatus.ASSIGNED,
            detail=f"proposal {pid}, affinity {score:.3f}",
        )
        created += 1
    session.flush()
    return created


def announce_assignment(session: Session, assignment: ReviewAssignment, *, actor: User) -> None:
    """Set the new assignment's due date and tell the reviewer (e-mail after the commit)."""
    assignment.due_on = to_local(utcnow()).date() + timedelta(days=REVIEW_PERIOD_DAYS)
    session.add(assignment)
    proposal = session.get_one(Proposal, assignment.proposal_id)
    notify(
        session,
        kind="review_assigned",
        user_id=assignment.reviewer_id,
        object_type="review_assignment",
        object_id=assignment.id,
        params={"title": proposal.title, "due_on": assignment.due_on},
        actor_id=actor.id,
    )


def remind_reviewers(session: Session, *, today: date, schedule: Schedule) -> int:
    """Remind each reviewer whose review is still to submit, on the schedule's days before
    its due date and every few days once it is overdue; returns how many were reminded."""
    open_ones = session.exec(
        select(ReviewAssignment).where(
            ReviewAssignment.status == AssignmentStatus.ASSIGNED,
            col(ReviewAssignment.due_on).is_not(None),
        )
    ).all()
    sent = 0
    for a in open_ones:
        assert a.due_on is not None  # selected with a due date
        which = reminder_for(a.due_on, today, schedule)
        if which is None:
            continue
        proposal = session.get_one(Proposal, a.proposal_id)
        notify(
            session,
            kind="review_reminder" if which == "reminder" else "review_overdue",
            user_id=a.reviewer_id,
            object_type="review_assignment",
            object_id=a.id,
            params={"title": proposal.title, "due_on": a.due_on},
        )
        sent += 1
    return sent


def decline_assignment(
    session: Session, *, actor: User, assignment_id: int, reason: str
) -> ReviewAssignment:
    """A reviewer declines; the manager re-solves the call to fill the gap."""
    assignment = get_assignment_for(session, assignment_id=assignment_id, actor=actor)
    before = ASSIGNMENT.move(
        assignment, AssignmentStatus.DECLINED, N_("Only an open assignment can be declined.")
    )
    audit.record(
        session,
        actor_id=actor.id,
        object_type="review_assignment",
        object_id=assignment.id,
        action="decline",
        from_state=before,
        to_state=AssignmentStatus.DECLINED,
        detail=reason[:500],
    )
    session.add(assignment)
    session.flush()
    return assignment


def get_assignment_for(session: Session, *, assignment_id: int, actor: User) -> ReviewAssignment:
    """The reviewer's own live assignment, or NotFound."""
    assignment = session.get(ReviewAssignment, assignment_id)
    if assignment is None or not is_active_assignment(assignment, actor):
        raise NotFound(N_("No such review assignment."))
    return assignment


def live_assignments(session: Session, proposal_ids: list[int]) -> list[ReviewAssignment]:
    return list(
        session.exec(
            select(ReviewAssignment).where(
                col(ReviewAssignment.proposal_id).in_(proposal_ids),
                ReviewAssignment.status != AssignmentStatus.DECLINED,
            )
        ).all()
    )
