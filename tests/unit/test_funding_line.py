"""The funding line as tables: thresholds on the same score as the rank, ties at the line.

Rules in docs/review.md ("Funding line"); code in reviews/consolidation/rules.py.
"""

from fractions import Fraction

import pytest

from reviews.consolidation.rules import (
    Ranked,
    ScoredReview,
    funding_line,
    rank_proposals,
    split_by_line,
)
from reviews.rubric.rules import CriterionRule, total_basis_points, weighted_total

MERIT = CriterionRule(1, "Merit", weight=3, scale_max=5, threshold=3)
TEAM = CriterionRule(2, "Team", weight=1, scale_max=5, threshold=2)
CRITERIA = [MERIT, TEAM]


def _review(pid, reviewer, merit, team):
    scores = {MERIT.id: merit, TEAM.id: team}
    total = total_basis_points(weighted_total(CRITERIA, scores))
    return ScoredReview(pid, reviewer, total, scores)


def _one(reviews, threshold_pct):
    (row,) = rank_proposals(reviews, {1: 1}, criteria=CRITERIA, threshold_bp=threshold_pct * 100)
    return row


@pytest.mark.parametrize(
    "reviews, threshold_pct, failing, below_total, passes",
    [
        # merit 2.5 < 3 while the total, (3·2.5/5 + 5/5)/4 = 62.5%, passes 50%
        ([(2, 5), (3, 5)], 50, ["Merit"], False, False),
        # team 1.5 < 2 with a passing total
        ([(5, 1), (5, 2)], 50, ["Team"], False, False),
        # every criterion passes, the total 65% fails 70%
        ([(3, 2), (3, 4)], 70, [], True, False),
        # both criteria and the total pass
        ([(3, 2), (4, 2)], 60, [], False, True),
        # a threshold exactly met passes: merit mean 3, total (3·3/5+2/5)/4 = 55%
        ([(3, 2), (3, 2)], 55, [], False, True),
        # both fail: each failing criterion is named
        ([(1, 1), (2, 1)], 50, ["Merit", "Team"], True, False),
    ],
)
def test_each_criterion_mean_and_the_total_are_held_to_their_thresholds(
    reviews, threshold_pct, failing, below_total, passes
):
    row = _one([_review(1, 10 + i, m, t) for i, (m, t) in enumerate(reviews)], threshold_pct)
    assert [s.name for s in row.shortfalls] == failing
    assert row.below_total is below_total
    assert row.passes is passes


def test_a_shortfall_carries_the_mean_and_the_threshold():
    row = _one([_review(1, 10, 2, 5), _review(1, 11, 3, 5)], 0)
    (shortfall,) = row.shortfalls
    assert (shortfall.mean, shortfall.threshold, shortfall.scale_max) == (Fraction(5, 2), 3, 5)


def test_the_score_is_the_weighted_total_of_the_criterion_means():
    # means merit 3 and team 3 of 5: (3·3/5 + 3/5) / 4 = 60%, whatever each review's total
    row = _one([_review(1, 10, 2, 5), _review(1, 11, 4, 1)], 60)
    assert row.raw_bp == 6000
    assert row.passes


def test_without_a_rubric_the_score_is_the_mean_overall_score():
    reviews = [ScoredReview(1, 10, 7000), ScoredReview(1, 11, 8000)]
    (row,) = rank_proposals(reviews, {1: 1}, threshold_bp=7500)
    assert (row.raw_bp, row.shortfalls, row.passes) == (7500, (), True)


def test_the_same_raw_score_ranks_and_decides_the_thresholds():
    # reviewer 11 is harsh: proposal 2's calibrated score clears 60% and outranks
    # proposal 1's, but its raw score (the one that ranks) is below the threshold
    reviews = [
        ScoredReview(1, 10, 9000),
        ScoredReview(3, 10, 8000),
        ScoredReview(2, 11, 5600),
        ScoredReview(3, 11, 4500),
    ]
    ranked = rank_proposals(reviews, {1: 1, 2: 1, 3: 1}, threshold_bp=6000)
    by_id = {r.proposal_id: r for r in ranked}
    assert by_id[2].calibrated_bp > by_id[1].calibrated_bp
    assert by_id[2].calibrated_bp >= 6000
    assert [r.proposal_id for r in ranked] == [1, 3, 2]
    assert [r.passes for r in ranked] == [True, True, False]
    assert funding_line(ranked, 10).funded == {1: True, 3: True, 2: False}


def test_equal_scores_share_a_rank_and_are_marked_tied():
    reviews = [ScoredReview(pid, 10 + pid, bp) for pid, bp in [(4, 7000), (2, 8000), (3, 7000)]]
    ranked = rank_proposals([*reviews, ScoredReview(1, 20, 6000)], {})
    assert [(r.proposal_id, r.rank, r.tied) for r in ranked] == [
        (2, 1, False),
        (3, 2, True),
        (4, 2, True),
        (1, 4, False),
    ]


def _row(pid, score, amount, passes=True):
    bp = Fraction(score)
    return Ranked(pid, 0, bp, bp, 0, False, amount, below_total=not passes)


@pytest.mark.parametrize(
    "rows, budget, overrides, ties, funded",
    [
        # 2 and 3 tie for the last 5 of the budget: shown as a tie, not decided by the id
        ([(1, 90, 5), (2, 80, 5), (3, 80, 5), (4, 70, 1)], 10, {}, [(2, 3)], None),
        # a tie entirely above the line is no problem
        ([(1, 90, 5), (2, 80, 5), (3, 80, 5), (4, 70, 5)], 15, {}, [], {1, 2, 3}),
        # a tie entirely below the line (neither fits) is no problem either
        ([(1, 90, 8), (2, 80, 5), (3, 80, 5), (4, 70, 1)], 10, {}, [], {1, 4}),
        # the budget, not the order, decides: only 3 fits what is left
        ([(1, 90, 5), (2, 80, 8), (3, 80, 4)], 10, {}, [], {1, 3}),
        # three tied for two places: all three are in the tie
        ([(1, 80, 4), (2, 80, 4), (3, 80, 4)], 8, {}, [(1, 2, 3)], None),
        # a tied proposal that fails a threshold is not in contention
        ([(1, 80, 5), (2, 80, 5, False), (3, 70, 5)], 5, {}, [], {1}),
        # the manager moved 3 below the line: 2 alone is left, the tie is resolved
        ([(1, 90, 5), (2, 80, 5), (3, 80, 5)], 10, {3: False}, [], {1, 2}),
        # the manager moved 3 above the line: nothing is left for 2, the tie is resolved
        ([(1, 90, 5), (2, 80, 5), (3, 80, 5)], 10, {3: True}, [], {1, 3}),
        # three tied for two places, one moved above: the other two still tie for one
        ([(1, 80, 4), (2, 80, 4), (3, 80, 4)], 8, {3: True}, [(1, 2)], None),
    ],
)
def test_ties_split_by_the_line_are_left_to_the_manager(rows, budget, overrides, ties, funded):
    ranked = [_row(*r) for r in rows]
    line = funding_line(ranked, budget, overrides)
    assert list(line.ties) == ties
    assert line.tied_ids == {pid for group in ties for pid in group}
    if funded is not None:
        assert {pid for pid, yes in line.funded.items() if yes} == funded


@pytest.mark.parametrize(
    "amounts, left, tied",
    [
        ([5, 5], 10, ()),  # all fit
        ([5, 5], 4, ()),  # none fits
        ([5, 5], 5, (1, 2)),  # one of the two
        ([8, 4], 5, ()),  # only the cheaper one can fit
        ([3, 3, 9], 5, (1, 2)),  # the expensive one is out either way
    ],
)
def test_a_group_is_split_by_the_line_when_the_order_would_decide(amounts, left, tied):
    group = [_row(i + 1, 50, amount) for i, amount in enumerate(amounts)]
    assert split_by_line(group, left) == tied
