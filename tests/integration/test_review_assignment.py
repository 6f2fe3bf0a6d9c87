"""The assignment service on a real database: constraints hold, re-solving keeps pairs fixed."""

import pytest
from sqlmodel import select

from funds.profiles.models import Publication
from reviews.assignment.errors import InfeasibleAssignment
from reviews.assignment.models import ReviewAssignment
from reviews.assignment.services import (
    assign_call,
    compute_call_affinities,
    decline_assignment,
    set_pair_constraint,
)
from reviews.pool.services import place_bid, save_profile


@pytest.fixture
def call_world(make, session):
    call = make.call()
    pis = [make.user("applicant", institution=f"Viện {i}") for i in range(4)]
    proposals = [
        make.proposal(pi=pi, call=call, submit=True, title=f"Chip bán dẫn thế hệ {i}")
        for i, pi in enumerate(pis)
    ]
    reviewers = [make.user("reviewer", institution=f"Đại học {i}") for i in range(5)]
    for r in reviewers:
        save_profile(
            session,
            actor=r,
            keywords="chip bán dẫn; vi mạch",
            areas=[],
            languages="vi",
            max_load=3,
            available=True,
        )
    session.commit()
    return call, proposals, reviewers, pis


def live(session, call_proposals):
    ids = [p.id for p in call_proposals]
    return {
        (a.proposal_id, a.reviewer_id)
        for a in session.exec(
            select(ReviewAssignment).where(
                ReviewAssignment.proposal_id.in_(ids), ReviewAssignment.status != "declined"
            )
        )
    }


def test_every_proposal_gets_k_reviewers_within_loads(make, session, call_world):
    call, proposals, reviewers, _ = call_world
    compute_call_affinities(session, actor=make.manager(), call_id=call.id)
    outcome = assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=2)
    pairs = live(session, proposals)
    assert outcome.created == 8
    assert len(pairs) == 8
    assert all(sum(1 for p, _ in pairs if p == x.id) == 2 for x in proposals)
    assert all(sum(1 for _, r in pairs if r == u.id) <= 3 for u in reviewers)


def test_conflicted_and_unwilling_pairs_are_never_assigned(make, session, call_world):
    call, proposals, reviewers, pis = call_world
    same_institution = make.user("reviewer", institution=pis[0].institution.upper())
    coauthor = make.user("reviewer", institution="Elsewhere")
    session.add(
        Publication(
            user_id=coauthor.id,
            title="Joint paper",
            year=2025,
            authors=f"{pis[1].name}; {coauthor.name}",
        )
    )
    for u in (same_institution, coauthor):
        save_profile(
            session,
            actor=u,
            keywords="chip bán dẫn",
            areas=[],
            languages="vi",
            max_load=4,
            available=True,
        )
    place_bid(session, actor=reviewers[0], proposal_id=proposals[2].id, level="not_willing")
    set_pair_constraint(
        session,
        actor=make.manager(),
        proposal_id=proposals[3].id,
        reviewer_id=reviewers[1].id,
        value=-1,
        reason="manager veto",
    )
    session.commit()
    assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=3)
    pairs = live(session, proposals)
    assert (proposals[0].id, same_institution.id) not in pairs
    assert (proposals[1].id, coauthor.id) not in pairs
    assert (proposals[2].id, reviewers[0].id) not in pairs
    assert (proposals[3].id, reviewers[1].id) not in pairs
    assert len(pairs) == 12


def test_reassignment_after_a_decline_keeps_every_other_pair(make, session, call_world):
    call, proposals, reviewers, _ = call_world
    assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=2)
    before = live(session, proposals)
    victim = session.exec(
        select(ReviewAssignment).where(ReviewAssignment.proposal_id == proposals[0].id)
    ).first()
    reviewer = next(r for r in reviewers if r.id == victim.reviewer_id)
    decline_assignment(session, actor=reviewer, assignment_id=victim.id, reason="busy")
    outcome = assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=2)
    after = live(session, proposals)
    assert outcome.created == 1
    assert before - {(victim.proposal_id, victim.reviewer_id)} <= after
    assert (victim.proposal_id, victim.reviewer_id) not in after


def test_pinned_pair_is_assigned(make, session, call_world):
    call, proposals, reviewers, _ = call_world
    set_pair_constraint(
        session,
        actor=make.manager(),
        proposal_id=proposals[0].id,
        reviewer_id=reviewers[4].id,
        value=1,
        reason="expert",
    )
    assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=1)
    assert (proposals[0].id, reviewers[4].id) in live(session, proposals)


def test_infeasible_call_says_which_proposals_lack_reviewers(make, session, call_world):
    call, proposals, _, _ = call_world
    with pytest.raises(InfeasibleAssignment) as exc:
        assign_call(session, actor=make.manager(), call_id=call.id, per_proposal=6)
    assert exc.value.reasons
    assert not live(session, proposals)


def test_fairness_mode_reports_both_totals(make, session, call_world):
    call, _, _, _ = call_world
    compute_call_affinities(session, actor=make.manager(), call_id=call.id)
    outcome = assign_call(
        session, actor=make.manager(), call_id=call.id, per_proposal=2, fairness_tolerance=0.1
    )
    assert outcome.total_score >= 0.9 * outcome.optimal_total - 1e-9
    assert outcome.min_proposal_total >= outcome.optimal_min_proposal_total - 1e-9
