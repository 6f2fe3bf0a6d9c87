"""The lottery as pages, minutes and decisions show it, and its replay."""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlmodel import Session, select

from funds.calls.models import Call
from funds.proposals.models import Proposal
from reviews.consolidation.lottery.models import Lottery
from reviews.consolidation.lottery.permissions import can_see_seed, lottery_enabled
from reviews.consolidation.lottery.rules import Plan, Replay, ids_of, replay


@dataclass(frozen=True)
class Member:
    proposal_id: int
    title: str
    requested_vnd: int
    place: int | None  # 1-based place in the draw; None before it
    funded: bool | None  # None before the draw


@dataclass(frozen=True)
class LotteryView:
    """What the manager, the council and the minutes see: the commitment and its time, the
    group, the line and the money left; after the draw the seed, the order and the funded,
    with the replay's check."""

    call_id: int
    commitment: str
    committed_at: datetime
    line_bp: Fraction
    remainder_vnd: int
    members: tuple[Member, ...]
    drawn_at: datetime | None
    seed: str | None  # revealed after the draw only
    replay: Replay | None
    replay_agrees: bool | None

    @property
    def drawn(self) -> bool:
        return self.drawn_at is not None


def lottery_of(session: Session, call_id: int) -> Lottery | None:
    return session.exec(select(Lottery).where(Lottery.call_id == call_id)).first()


def _requested(lottery: Lottery) -> dict[int, int]:
    pairs = (item.split(":") for item in lottery.requested.split(",") if item)
    return {int(pid): int(amount) for pid, amount in pairs}


def replay_lottery(lottery: Lottery) -> Replay:
    """Recompute the stored draw from its seed, group, requests and remainder."""
    group = ids_of(lottery.group_ids)
    return replay(
        lottery.seed, lottery.commitment, group, _requested(lottery), lottery.remainder_vnd
    )


def lottery_view(session: Session, call_id: int) -> LotteryView | None:
    """The call's lottery as shown; None when the call has none committed."""
    lottery = lottery_of(session, call_id)
    if lottery is None:
        return None
    requested = _requested(lottery)
    order = ids_of(lottery.order_ids)
    funded = set(ids_of(lottery.funded_ids))
    drawn = can_see_seed(lottery.drawn)
    again = replay_lottery(lottery) if drawn else None
    members = tuple(
        Member(
            pid,
            session.get_one(Proposal, pid).title,
            requested[pid],
            order.index(pid) + 1 if drawn else None,
            (pid in funded) if drawn else None,
        )
        for pid in (order if drawn else ids_of(lottery.group_ids))
    )
    agrees = None
    if again is not None:
        agrees = (
            again.commitment_matches
            and again.order == order
            and again.funded == ids_of(lottery.funded_ids)
        )
    return LotteryView(
        call_id,
        lottery.commitment,
        lottery.committed_at,
        Fraction(lottery.line_bp),
        lottery.remainder_vnd,
        members,
        lottery.drawn_at,
        lottery.seed if drawn else None,
        again,
        agrees,
    )


def drawn_lottery_of(session: Session, proposal: Proposal) -> LotteryView | None:
    """The drawn lottery the proposal took part in (for its decision letter), else None."""
    view = lottery_view(session, proposal.call_id)
    if view is None or not view.drawn:
        return None
    return view if proposal.id in {m.proposal_id for m in view.members} else None


def call_lottery_enabled(session: Session, call_id: int) -> bool:
    call = session.get(Call, call_id)
    return call is not None and lottery_enabled(call)


def plan_members(session: Session, plan: Plan) -> list[tuple[int, str]]:
    """The would-be group's ids and titles, for the page before a commitment."""
    return [(pid, session.get_one(Proposal, pid).title) for pid in plan.group]


def decision_notes(session: Session, call_id: int | None) -> dict[int, str]:
    """The note each group member's decision carries (and its letter, through ${note}, in
    the language of the fund's letters): the result, the place in the draw, the seed and its
    commitment."""
    view = lottery_view(session, call_id) if call_id is not None else None
    if view is None or not view.drawn:
        return {}
    n = len(view.members)
    return {
        m.proposal_id: (
            f"Bốc thăm tại ngưỡng tài trợ: {'trúng thăm' if m.funded else 'không trúng thăm'}, "
            f"thứ tự {m.place}/{n}; hạt giống (seed) {view.seed}; cam kết SHA-256 {view.commitment}"
        )
        for m in view.members
    }
