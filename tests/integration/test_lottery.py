"""The lottery at the funding line through its services on a real database: a seed committed
before the draw, a draw that replays from it, money within the remainder, and the result in
the decisions, the minutes and the selection decision."""

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.compliance.services import acknowledge_slate
from funds.errors import InvalidTransition, NotAllowed, RuleViolation
from funds.proposals.models import Decision, Proposal, ProposalStatus
from reviews.consolidation.lottery.errors import GroupChanged, NoCommitment
from reviews.consolidation.lottery.queries import (
    decision_notes,
    lottery_of,
    lottery_view,
    replay_lottery,
)
from reviews.consolidation.lottery.rules import commitment_of, draw_order, ids_of
from reviews.consolidation.lottery.services import (
    apply_line_with_lottery,
    commit_seed,
    draw_lottery,
)
from reviews.consolidation.services import call_ranking, override_funding
from reviews.councils.minutes.queries import minutes_record
from tests import council_minutes_data as councils
from tests.rebuttal_data import reviewed_call


@pytest.fixture
def line(make, session):
    """Five proposals of 1 bn, a budget of 2 bn: A above the line; B and D in the group."""
    return reviewed_call(make, session, lottery_at_line=True)


def test_the_draw_is_refused_without_a_prior_commitment(make, session, line):
    call, _p = line
    with pytest.raises(NoCommitment):
        draw_lottery(session, actor=make.manager(), call_id=call.id)


def test_a_call_without_the_lottery_refuses_to_commit(make, session):
    call, _p = reviewed_call(make, session)
    with pytest.raises(NotAllowed):
        commit_seed(session, actor=make.manager(), call_id=call.id)


def test_the_commitment_binds_the_group_and_the_seed_stays_hidden(make, session, line):
    call, p = line
    lottery = commit_seed(session, actor=make.manager(), call_id=call.id)
    assert ids_of(lottery.group_ids) == tuple(sorted((p["Đề tài B"].id, p["Đề tài D"].id)))
    assert lottery.remainder_vnd == 1_000_000_000
    assert lottery.commitment == hashlib.sha256(bytes.fromhex(lottery.seed)).hexdigest()
    view = lottery_view(session, call.id)
    assert view.seed is None
    assert view.commitment == lottery.commitment
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.object_type == "lottery", AuditEntry.action == "commit")
    ).one()
    assert lottery.commitment in entry.detail


def test_a_lottery_replays_from_its_seed_committed_before_the_draw(make, session, line):
    call, p = line
    manager = make.manager()
    committed = commit_seed(session, actor=manager, call_id=call.id)
    session.commit()
    lottery = draw_lottery(session, actor=manager, call_id=call.id)
    session.commit()
    session.expire_all()
    lottery = lottery_of(session, call.id)
    assert lottery.committed_at < lottery.drawn_at
    assert commitment_of(lottery.seed) == lottery.commitment == committed.commitment
    again = replay_lottery(lottery)
    assert again.commitment_matches
    assert again.order == ids_of(lottery.order_ids) == draw_order(lottery.seed, again.order)
    assert again.funded == ids_of(lottery.funded_ids)
    assert len(again.funded) == 1
    view = lottery_view(session, call.id)
    assert view.seed == lottery.seed
    assert view.replay_agrees
    # the line's decisions follow the draw: A and the winner funded, the rest not
    ranking = call_ranking(session, call.id)
    winner = again.funded[0]
    assert {pid for pid, f in ranking.funded.items() if f} == {p["Đề tài A"].id, winner}
    spent = sum(r.requested_vnd for r in ranking.rows if ranking.funded[r.proposal_id])
    assert spent <= call.budget_vnd


def test_the_draw_is_refused_at_or_before_the_commitment_instant(make, session, line):
    call, _p = line
    now = utcnow()
    commit_seed(session, actor=make.manager(), call_id=call.id, now=now)
    with pytest.raises(NoCommitment):
        draw_lottery(session, actor=make.manager(), call_id=call.id, now=now)
    with pytest.raises(NoCommitment):
        draw_lottery(session, actor=make.manager(), call_id=call.id, now=now - timedelta(1))


def test_a_seed_altered_after_its_commitment_cannot_draw(make, session, line):
    call, _p = line
    lottery = commit_seed(session, actor=make.manager(), call_id=call.id)
    lottery.seed = "00" * 32
    with pytest.raises(NoCommitment):
        draw_lottery(session, actor=make.manager(), call_id=call.id)


def test_a_new_commitment_replaces_one_not_drawn_and_both_are_logged(make, session, line):
    call, _p = line
    manager = make.manager()
    first = commit_seed(session, actor=manager, call_id=call.id)
    first_hash, first_id = first.commitment, first.id
    second = commit_seed(session, actor=manager, call_id=call.id)
    assert second.id == first_id
    assert second.commitment != first_hash
    logged = session.exec(
        select(AuditEntry.detail).where(
            AuditEntry.object_type == "lottery", AuditEntry.action == "commit"
        )
    ).all()
    assert [first_hash in d for d in logged] == [True, False]
    drawn = draw_lottery(session, actor=manager, call_id=call.id, now=utcnow() + timedelta(1))
    assert drawn.commitment == second.commitment
    with pytest.raises(InvalidTransition):
        draw_lottery(session, actor=manager, call_id=call.id, now=utcnow() + timedelta(2))
    with pytest.raises(InvalidTransition):
        commit_seed(session, actor=manager, call_id=call.id)


def test_a_ranking_moved_after_the_commitment_refuses_the_draw(make, session, line):
    call, p = line
    manager = make.manager()
    commit_seed(session, actor=manager, call_id=call.id)
    override_funding(
        session, actor=manager, proposal_id=p["Đề tài D"].id, include=True, reason="Ưu tiên"
    )
    with pytest.raises(GroupChanged):
        draw_lottery(session, actor=manager, call_id=call.id, now=utcnow() + timedelta(1))


def test_no_group_no_commitment(make, session):
    call, _p = reviewed_call(
        make, session, {"Đề tài A": (9, 9), "Đề tài B": (3, 3)}, lottery_at_line=True
    )
    with pytest.raises(RuleViolation):
        commit_seed(session, actor=make.manager(), call_id=call.id)


def test_the_decisions_and_the_minutes_carry_the_group_seed_and_result(make, session, line):
    call, p = line
    manager = make.manager()
    with pytest.raises(InvalidTransition, match="by lottery"):  # not the plain line instead
        apply_line_with_lottery(session, actor=manager, call_id=call.id)
    commit_seed(session, actor=manager, call_id=call.id)
    lottery = draw_lottery(session, actor=manager, call_id=call.id, now=utcnow() + timedelta(1))
    notes = decision_notes(session, call.id)
    assert set(notes) == set(ids_of(lottery.group_ids))
    assert all(lottery.seed in n and lottery.commitment in n for n in notes.values())
    winner = ids_of(lottery.funded_ids)[0]
    acknowledge_slate(  # the strategic floor's check, as on the funding line
        session,
        actor=manager,
        proposal_ids=sorted([p["Đề tài A"].id, winner]),
        years_below=[],
        summary={},
        note="Quỹ chấp nhận",
    )
    apply_line_with_lottery(session, actor=manager, call_id=call.id)
    assert session.get(Proposal, winner).status == ProposalStatus.FUNDED
    decision = session.exec(select(Decision).where(Decision.proposal_id == winner)).one()
    assert "trúng thăm, thứ tự" in decision.note
    assert lottery.seed in decision.note
    sitting = councils.sitting(session, make, fund_id=call.fund_id, call_id=call.id)
    record = minutes_record(session, sitting.meeting.id)
    assert record.lottery.seed == lottery.seed
    assert [m.proposal_id for m in record.lottery.members] == list(ids_of(lottery.order_ids))


def test_the_replay_command_recomputes_a_drawn_lottery_from_the_database_or_the_seed(
    make, session, runner, line
):
    call, _p = line
    manager = make.manager()
    commit_seed(session, actor=manager, call_id=call.id)
    lottery = draw_lottery(session, actor=manager, call_id=call.id, now=utcnow() + timedelta(1))
    session.commit()
    stored = runner.invoke(args=["lottery-replay", "--call", str(call.id)])
    assert stored.exit_code == 0, stored.output
    assert f"funded: {lottery.funded_ids}" in stored.output
    members = [f"--member={m}" for m in lottery.requested.split(",")]
    by_hand = runner.invoke(
        args=[
            "lottery-replay",
            f"--seed={lottery.seed}",
            f"--commitment={lottery.commitment}",
            f"--remainder={lottery.remainder_vnd}",
            *members,
        ]
    )
    assert by_hand.exit_code == 0, by_hand.output
    assert f"order:  {lottery.order_ids}" in by_hand.output
    assert "commitment matches: yes" in by_hand.output
    forged = runner.invoke(
        args=[
            "lottery-replay",
            "--seed=" + "11" * 32,
            f"--commitment={lottery.commitment}",
            *members,
        ]
    )
    assert forged.exit_code != 0
    assert "commitment matches: no" in forged.output
