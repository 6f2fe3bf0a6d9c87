"""The lottery at the funding line, as pure rules: intervals, the line, the group, the money
left, and a draw that replays from its seed."""

import hashlib
import hmac
from fractions import Fraction

import pytest

from reviews.consolidation.lottery.rules import (
    Interval,
    allot,
    commitment_of,
    draw_order,
    intervals,
    line_score,
    plan_lottery,
    replay,
    standard_error_bp,
)
from reviews.consolidation.rules import ScoredReview, funding_line, rank_proposals

SEED = "00" * 31 + "2a"


def _ranked(scores: dict[int, tuple[int, ...]], requested: dict[int, int] | None = None):
    reviews = [
        ScoredReview(pid, reviewer, total)
        for pid, totals in scores.items()
        for reviewer, total in enumerate(totals, start=1)
    ]
    requested = requested or dict.fromkeys(scores, 100)
    return reviews, rank_proposals(reviews, requested)


@pytest.mark.parametrize(
    "totals, expected",
    [
        ((), 0),
        ((7000,), 0),
        ((7000, 7000), 0),
        ((8000, 7000), 500),  # √(2·500² / 2) = 500
        ((8000, 5000), 1500),
        ((8000, 7000, 6000), 578),  # √(2,000,000 / 6) = 577.35…, rounded up
    ],
)
def test_the_standard_error_of_the_reviews_is_rounded_up_to_a_basis_point(totals, expected):
    assert standard_error_bp(totals) == expected


def test_an_interval_spans_score_and_calibrated_score_widened_by_the_standard_error():
    # reviewer 1 is harsher than reviewer 2 over the call: calibration moves each score
    reviews = [
        ScoredReview(1, 1, 6000),
        ScoredReview(1, 2, 8000),
        ScoredReview(2, 1, 6000),
        ScoredReview(3, 2, 8000),
    ]
    ranked = rank_proposals(reviews, {1: 1, 2: 1, 3: 1})
    spans = intervals(reviews, ranked)
    by_id = {r.proposal_id: r for r in ranked}
    assert spans[1] == Interval(Fraction(7000) - 1000, Fraction(7000) + 1000)
    low, high = sorted((by_id[2].raw_bp, by_id[2].calibrated_bp))
    assert (spans[2].low, spans[2].high) == (low, high)
    assert low < high


@pytest.mark.parametrize(
    "scores, budget, line",
    [
        # funds 1 and 2; 3 is the best left out: halfway between 7,500 and 7,000
        ({1: (9000, 9000), 2: (8000, 7000), 3: (7000, 7000)}, 200, Fraction(7250)),
        ({1: (9000, 9000), 2: (8000, 7000)}, 200, None),  # every passing proposal funded
        ({1: (9000, 9000), 2: (8000, 7000)}, 50, None),  # none funded
        ({1: (9000, 9000), 2: (7000, 7000), 3: (7000, 7000)}, 200, Fraction(7000)),  # a tie
    ],
)
def test_the_line_lies_between_the_lowest_funded_and_the_best_left_out(scores, budget, line):
    _reviews, ranked = _ranked(scores)
    assert line_score(ranked, funding_line(ranked, budget), {}) == line


@pytest.mark.parametrize(
    "scores, budget, overrides, group, remainder",
    [
        # the scenario of tests/rebuttal_data.py: C's narrow interval misses the line, D's wide one
        # does; A above takes 100, leaving 100 for the group
        (
            {1: (9000, 9000), 2: (8000, 7000), 3: (7000, 7000), 4: (8000, 5000), 5: (3000, 3000)},
            200,
            {},
            (2, 4),
            100,
        ),
        # a tie at the line is a group of itself
        ({1: (9000, 9000), 2: (7000, 7000), 3: (7000, 7000)}, 200, {}, (2, 3), 100),
        # intervals that do not reach the line: no group
        ({1: (9000, 9000), 2: (8000, 8000), 3: (6000, 6000)}, 200, {}, (), 0),
        # a proposal moved by an override stays out of the group and its money is spent
        (
            {1: (9000, 9000), 2: (7000, 7000), 3: (7000, 7000), 4: (7000, 7000)},
            300,
            {2: True},
            (3, 4),
            100,
        ),
    ],
)
def test_the_group_is_the_proposals_whose_interval_contains_the_line(
    scores, budget, overrides, group, remainder
):
    reviews, ranked = _ranked(scores)
    line = funding_line(ranked, budget, overrides)
    plan = plan_lottery(ranked, intervals(reviews, ranked), line, budget, overrides)
    assert (plan.group, plan.remainder_vnd if plan.has_group else 0) == (group, remainder)


def test_a_failing_proposal_never_enters_the_group():
    reviews = [ScoredReview(pid, r, 7000) for pid in (1, 2, 3) for r in (1, 2)]
    ranked = [
        row if row.proposal_id != 3 else type(row)(**{**row.__dict__, "below_total": True})
        for row in rank_proposals(reviews, {1: 100, 2: 100, 3: 100})
    ]
    plan = plan_lottery(ranked, intervals(reviews, ranked), funding_line(ranked, 100), 100, {})
    assert plan.group == (1, 2)


def test_the_commitment_is_the_sha256_of_the_seeds_bytes():
    assert commitment_of(SEED) == hashlib.sha256(bytes.fromhex(SEED)).hexdigest()


@pytest.mark.parametrize(
    "seed, group, expected",
    [  # fixed vectors: a change of the algorithm breaks every lottery already drawn
        ("00" * 31 + "2a", (2, 4), (4, 2)),
        ("ff" * 32, (11, 12, 13, 14, 15), (15, 14, 11, 12, 13)),
        ("0123456789abcdef" * 4, (7, 3, 5), (7, 3, 5)),
    ],
)
def test_the_draw_sorts_the_group_by_hmac_of_the_seed_over_each_id(seed, group, expected):
    def key(pid):
        return hmac.new(bytes.fromhex(seed), str(pid).encode(), hashlib.sha256).hexdigest()

    order = draw_order(seed, group)
    assert order == expected
    assert order == tuple(sorted(group, key=key))
    assert draw_order(seed, tuple(reversed(group))) == order  # the order given does not matter
    assert sorted(order) == sorted(group)


def test_different_seeds_draw_different_orders():
    group = tuple(range(1, 9))
    orders = {draw_order(f"{n:064x}", group) for n in range(20)}
    assert len(orders) > 10


@pytest.mark.parametrize(
    "order, requested, remainder, funded",
    [
        ((4, 2), {2: 100, 4: 100}, 100, (4,)),
        ((4, 2), {2: 100, 4: 100}, 99, ()),
        ((3, 1, 2), {1: 60, 2: 30, 3: 50}, 100, (3, 2)),  # 1 does not fit after 3; 2 does
        ((3, 1, 2), {1: 60, 2: 30, 3: 50}, 0, ()),
    ],
)
def test_the_group_is_funded_in_draw_order_while_the_remainder_lasts(
    order, requested, remainder, funded
):
    assert allot(order, requested, remainder) == funded


@pytest.mark.parametrize("n", range(30))
def test_money_allotted_never_exceeds_the_remainder(n):
    group = tuple(range(1, 8))
    requested = {pid: (pid * 7919 + n * 104729) % 1_000_000_000 + 1 for pid in group}
    remainder = (n * 123_456_789) % 2_000_000_000
    funded = allot(draw_order(f"{n:064x}", group), requested, remainder)
    assert sum(requested[pid] for pid in funded) <= remainder
    assert all(isinstance(requested[pid], int) for pid in funded)


def test_a_replay_recomputes_the_draw_and_checks_the_commitment():
    requested = {2: 100, 4: 100}
    first = replay(SEED, commitment_of(SEED), (2, 4), requested, 100)
    again = replay(SEED, commitment_of(SEED), (4, 2), requested, 100)
    assert first == again
    assert first.commitment_matches
    assert len(first.funded) == 1
    assert not replay("11" * 32, commitment_of(SEED), (2, 4), requested, 100).commitment_matches
