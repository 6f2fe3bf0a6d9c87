"""The lottery at the funding line: commit a seed, draw, record the result as the line's
decisions (docs/lottery.md; the algorithm in reviews/consolidation/lottery/rules.py)."""

import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, RuleViolation
from reviews.consolidation.lottery.errors import GroupChanged, NoCommitment
from reviews.consolidation.lottery.models import Lottery
from reviews.consolidation.lottery.permissions import lottery_enabled
from reviews.consolidation.lottery.queries import decision_notes, lottery_of, replay_lottery
from reviews.consolidation.lottery.rules import (
    SEED_BYTES,
    Plan,
    commitment_of,
    ids_text,
    intervals,
    plan_lottery,
)
from reviews.consolidation.rules import FundingLine
from reviews.consolidation.services import (
    apply_funding_line,
    call_ranking,
    override_funding,
    submitted_reviews,
)


def current_plan(session: Session, call: Call) -> Plan:
    """The group and the money left that a draw would decide now."""
    ranking = call_ranking(session, call.id)
    spans = intervals(submitted_reviews(session, call.id), ranking.rows)
    overrides = {pid: o.include for pid, o in ranking.overrides.items()}
    line = FundingLine(ranking.funded, ranking.ties)
    return plan_lottery(ranking.rows, spans, line, call.budget_vnd, overrides)


def _managed(session: Session, actor: User, call_id: int) -> Call:
    call = get_call_for_manager(session, call_id=call_id, actor=actor)
    if not lottery_enabled(call):
        raise NotAllowed(N_("This call does not allot money by lottery at the funding line."))
    return call


def commit_seed(
    session: Session, *, actor: User, call_id: int, now: datetime | None = None
) -> Lottery:
    """Draw a secret seed and publish its SHA-256 with the group and the money left; a new
    commitment replaces one not yet drawn (both stay in the audit log)."""
    call = _managed(session, actor, call_id)
    lottery = lottery_of(session, call.id)
    if lottery is not None and lottery.drawn:
        raise InvalidTransition(N_("The lottery of this call has been drawn already."))
    plan = current_plan(session, call)
    if not plan.has_group:
        raise RuleViolation(
            N_(
                "Fewer than two proposals are indistinguishable from the funding line: "
                "there is nothing to draw."
            )
        )
    ranking = call_ranking(session, call.id)
    amounts = {r.proposal_id: r.requested_vnd for r in ranking.rows}
    seed = secrets.token_hex(SEED_BYTES)
    values: dict[str, Any] = {
        "seed": seed,
        "commitment": commitment_of(seed),
        "committed_at": now or utcnow(),
        "committed_by": actor.id,
        "group_ids": ids_text(plan.group),
        "requested": ",".join(f"{pid}:{amounts[pid]}" for pid in plan.group),
        "line_bp": str(plan.line_bp),
        "remainder_vnd": plan.remainder_vnd,
    }
    if lottery is None:
        lottery = Lottery(call_id=call.id, **values)
    else:
        for name, value in values.items():
            setattr(lottery, name, value)
    session.add(lottery)
    session.flush()
    detail = f"sha256={lottery.commitment} group={lottery.group_ids}"
    _audit(session, actor, lottery, "commit", detail)
    return lottery


def draw_lottery(
    session: Session, *, actor: User, call_id: int, now: datetime | None = None
) -> Lottery:
    """Draw with the committed seed, reveal it, and record the group's places on the line
    (funded in draw order while the remainder lasts) as logged overrides."""
    call = _managed(session, actor, call_id)
    lottery = lottery_of(session, call.id)
    if lottery is None:
        raise NoCommitment()
    if lottery.drawn:
        raise InvalidTransition(N_("The lottery of this call has been drawn already."))
    at = now or utcnow()
    if not lottery.committed_at < at or commitment_of(lottery.seed) != lottery.commitment:
        raise NoCommitment()
    plan = current_plan(session, call)
    if (ids_text(plan.group), plan.remainder_vnd) != (lottery.group_ids, lottery.remainder_vnd):
        raise GroupChanged()
    again = replay_lottery(lottery)  # the same computation anyone replays
    order, funded = again.order, again.funded
    lottery.order_ids, lottery.funded_ids = ids_text(order), ids_text(funded)
    lottery.drawn_at, lottery.drawn_by = at, actor.id
    session.add(lottery)
    for pid in order:
        won = pid in funded
        reason = (
            f"Lottery at the funding line ({'drawn' if won else 'not drawn'}): "
            f"seed {lottery.seed}, commitment {lottery.commitment}"
        )
        override_funding(session, actor=actor, proposal_id=pid, include=won, reason=reason)
    session.flush()
    _audit(session, actor, lottery, "draw", f"seed={lottery.seed} order={lottery.order_ids}")
    return lottery


def _audit(session: Session, actor: User, lottery: Lottery, action: str, detail: str) -> None:
    audit.record(
        session,
        actor_id=actor.id,
        object_type="lottery",
        object_id=lottery.id,
        action=action,
        to_state="drawn" if lottery.drawn else "committed",
        detail=detail,
    )


def apply_line_with_lottery(session: Session, *, actor: User, call_id: int) -> int:
    """Record the decisions along the funding line; on a call that chose the lottery, only
    once a group at the line has been drawn, and each member's decision notes its draw."""
    call = get_call_for_manager(session, call_id=call_id, actor=actor)
    if lottery_enabled(call):
        lottery = lottery_of(session, call.id)
        if (lottery is None or not lottery.drawn) and current_plan(session, call).has_group:
            raise InvalidTransition(
                N_(
                    "Proposals at the funding line cannot be told apart and this call allots "
                    "their money by lottery: commit a seed and draw first."
                )
            )
    notes = decision_notes(session, call.id)
    return apply_funding_line(session, actor=actor, call_id=call.id, notes=notes)
