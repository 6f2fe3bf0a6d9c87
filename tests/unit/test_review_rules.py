"""Pure review rules: rubric totals, conflicts, calibration, ranking and the funding line."""

from fractions import Fraction

import pytest

from reviews.conflicts.rules import Person, PublicationFacts, detect_conflicts, normalise
from reviews.consolidation.rules import (
    Ranked,
    ScoredReview,
    funding_line,
    rank_proposals,
    severities,
)
from reviews.rubric.rules import (
    CriterionRule,
    criterion_violations,
    passes_thresholds,
    total_basis_points,
    weighted_total,
)

MERIT = CriterionRule(1, "Merit", weight=3, scale_max=5, threshold=3)
TEAM = CriterionRule(2, "Team", weight=1, scale_max=10, threshold=5)


@pytest.mark.parametrize(
    "scores, total",
    [
        ({1: 5, 2: 10}, Fraction(1)),
        ({1: 0, 2: 0}, Fraction(0)),
        ({1: 4, 2: 5}, Fraction(3 * 4, 5 * 4) + Fraction(5, 40)),  # (3·4/5 + 1·5/10) / 4
    ],
)
def test_weighted_total_is_the_weighted_share_of_full_marks(scores, total):
    assert weighted_total([MERIT, TEAM], scores) == total


def test_total_in_basis_points_rounds_half_up():
    assert total_basis_points(Fraction(1, 3)) == 3333
    assert total_basis_points(Fraction(2, 3)) == 6667
    assert total_basis_points(Fraction(1, 20000)) == 1


@pytest.mark.parametrize(
    "scores, comments, final, fields",
    [
        ({1: 6}, {}, False, ["score_1"]),
        ({1: 3, 2: None}, {1: "ok", 2: "ok"}, True, ["score_2"]),
        ({1: 3, 2: 7}, {1: "ok"}, True, ["comment_2"]),
        ({1: 3, 2: 7}, {1: "ok", 2: "ok"}, True, []),
        ({}, {}, False, []),
    ],
)
def test_criterion_violations_name_the_field(scores, comments, final, fields):
    found = criterion_violations([MERIT, TEAM], scores, comments, final=final)
    assert [v.field for v in found] == fields


@pytest.mark.parametrize(
    "scores, threshold, ok",
    [
        ({1: 3, 2: 5}, 50, True),
        ({1: 2, 2: 10}, 0, False),
        ({1: 3, 2: 5}, 60, False),
    ],
)
def test_thresholds_per_criterion_and_total(scores, threshold, ok):
    assert passes_thresholds([MERIT, TEAM], scores, threshold) is ok


def test_normalise_folds_vietnamese_accents_and_case():
    assert normalise("Đại học Bách Khoa Hà Nội") == normalise("dai hoc bach khoa ha noi")


@pytest.mark.parametrize(
    "reviewer, team, expected",
    [
        (Person("A", "Viện Vật lý"), [Person("B", "Viện vật lý")], 1),
        (Person("A", "ĐHQG"), [Person("B", "Viện Toán")], 0),
        (
            Person("A", "X", (PublicationFacts(2025, ("Nguyễn Văn B", "A")),)),
            [Person("Nguyễn Văn B", "Y")],
            1,
        ),
        (
            Person("A", "X", (PublicationFacts(2020, ("Nguyễn Văn B", "A")),)),
            [Person("Nguyễn Văn B", "Y")],
            0,
        ),
        (Person("A", "X"), [Person("B", "Y", (PublicationFacts(2026, ("b", "a")),))], 1),
        (Person("A", ""), [Person("B", "")], 0),
    ],
)
def test_conflicts_from_institution_and_recent_coauthorship(reviewer, team, expected):
    assert len(detect_conflicts(reviewer, team, current_year=2026)) == expected


def test_severity_is_reviewer_mean_minus_call_mean():
    reviews = [
        ScoredReview(1, 10, 8000),
        ScoredReview(2, 10, 6000),
        ScoredReview(1, 11, 4000),
        ScoredReview(2, 11, 2000),
    ]
    assert severities(reviews) == {10: Fraction(2000), 11: Fraction(-2000)}


def test_calibration_is_shown_beside_the_raw_score_that_ranks():
    reviews = [
        ScoredReview(1, 10, 9000),
        ScoredReview(3, 10, 8000),  # lenient reviewer
        ScoredReview(2, 11, 6000),
        ScoredReview(3, 11, 4200),
    ]  # harsh reviewer
    ranked = rank_proposals(reviews, {1: 1, 2: 1, 3: 1}, threshold_bp=0)
    # severities ±1700: proposal 2 (6000 raw from the harsh one) calibrates to 7700, above
    # proposal 1's 7300, but the ranking and the thresholds use the raw score (docs/review.md)
    assert [r.proposal_id for r in ranked] == [1, 3, 2]
    assert ranked[2].raw_bp == 6000
    assert ranked[2].calibrated_bp == 7700
    assert ranked[0].calibrated_bp == 7300


def test_disagreement_is_flagged_on_a_wide_spread():
    ranked = rank_proposals(
        [ScoredReview(1, 10, 9000), ScoredReview(1, 11, 3000)], {1: 5}, threshold_bp=0
    )
    assert ranked[0].disagreement
    assert ranked[0].spread_bp == 6000


def _row(pid, rank, amount, passes=True):
    score = Fraction(10_000 - rank)
    return Ranked(pid, rank, score, score, 0, False, amount, below_total=not passes)


@pytest.mark.parametrize(
    "budget, overrides, funded",
    [
        (10, {}, {1: True, 2: True, 3: False, 4: True}),
        (100, {}, {1: True, 2: True, 3: True, 4: False}),  # 4 fails the threshold
        (10, {3: True}, {1: True, 2: False, 3: True, 4: False}),
        (10, {1: False}, {1: False, 2: True, 3: True, 4: False}),
    ],
)
def test_funding_line_in_rank_order_until_the_budget_is_spent(budget, overrides, funded):
    ranked = [_row(1, 1, 4), _row(2, 2, 4), _row(3, 3, 5), _row(4, 4, 2, passes=budget < 50)]
    assert funding_line(ranked, budget, overrides).funded == funded
