"""Pure consolidation: scores, thresholds, ranking, ties and the funding line.

The measure (docs/review.md, "Funding line"): a proposal's score is the weighted total of
the per-criterion means of its submitted reviews, which is the mean of their exact totals.
The same raw score ranks the proposals and decides the thresholds (each criterion's mean
against its threshold, the score against the total threshold). Calibration exists for
totals only, so it is shown beside the score, for information: a reviewer's severity is
the mean of their totals in the call minus the mean of all totals in the call; a
proposal's calibrated score is its score minus the mean severity of its reviewers. A
reviewer with a single review is not corrected.

Equal scores share a rank. An equal-score group that the budget splits (some of it fits,
not all) is a tie at the line: the manager or the council decides it, never the id; on a
call that chose the lottery the tie goes to the draw (reviews/consolidation/lottery).
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby

from reviews.rubric.rules import (
    BASIS_POINTS,
    CriterionRule,
    criteria_below_threshold,
    weighted_total,
)

DISAGREEMENT_BP = 2_500  # a spread of 25 points of 100 between reviewers is flagged


@dataclass(frozen=True)
class ScoredReview:
    proposal_id: int
    reviewer_id: int
    total_bp: int
    scores: Mapping[int, int] = field(default_factory=dict)  # criterion id → score (rubric)


@dataclass(frozen=True)
class Shortfall:
    """A criterion whose mean over the proposal's reviews is below its threshold."""

    name: str
    mean: Fraction
    threshold: int
    scale_max: int


@dataclass(frozen=True)
class Ranked:
    proposal_id: int
    rank: int  # equal scores share a rank (1, 2, 2, 4)
    raw_bp: Fraction  # the score: ranks and decides the thresholds
    calibrated_bp: Fraction  # for information only
    spread_bp: int
    disagreement: bool
    requested_vnd: int
    shortfalls: tuple[Shortfall, ...] = ()
    below_total: bool = False
    tied: bool = False  # another proposal has exactly the same score

    @property
    def passes(self) -> bool:
        """Every criterion and the total at or above their thresholds."""
        return not self.shortfalls and not self.below_total


@dataclass(frozen=True)
class FundingLine:
    funded: dict[int, bool]
    ties: tuple[tuple[int, ...], ...] = ()  # groups split by the line, for the manager

    @property
    def tied_ids(self) -> frozenset[int]:
        return frozenset(pid for group in self.ties for pid in group)


def severities(reviews: list[ScoredReview]) -> dict[int, Fraction]:
    """Each reviewer's mean minus the call's mean (0 for reviewers with one review)."""
    if not reviews:
        return {}
    overall = Fraction(sum(r.total_bp for r in reviews), len(reviews))
    by_reviewer = defaultdict(list)
    for r in reviews:
        by_reviewer[r.reviewer_id].append(r.total_bp)
    return {
        rid: (Fraction(sum(v), len(v)) - overall if len(v) > 1 else Fraction(0))
        for rid, v in by_reviewer.items()
    }


def criterion_means(reviews: Sequence[ScoredReview]) -> dict[int, Fraction]:
    """Each criterion's mean score over the reviews that scored it."""
    by_criterion = defaultdict(list)
    for r in reviews:
        for cid, score in r.scores.items():
            by_criterion[cid].append(score)
    return {cid: Fraction(sum(v), len(v)) for cid, v in by_criterion.items()}


def score_bp(
    reviews: Sequence[ScoredReview],
    criteria: Sequence[CriterionRule],
    means: Mapping[int, Fraction],
) -> Fraction:
    """The weighted total of the criterion means in basis points; the mean stored total
    when the reviews carry no criterion scores (a call without a rubric)."""
    if criteria and all(r.scores for r in reviews):
        return weighted_total(list(criteria), means) * BASIS_POINTS
    return Fraction(sum(r.total_bp for r in reviews), len(reviews))


def shortfalls_of(
    criteria: Sequence[CriterionRule], means: Mapping[int, Fraction]
) -> tuple[Shortfall, ...]:
    """The criteria the proposal's means leave below their thresholds."""
    below = criteria_below_threshold(list(criteria), means)
    return tuple(
        Shortfall(c.name, means.get(c.id, Fraction(0)), c.threshold, c.scale_max) for c in below
    )


def _consolidate(
    rs: list[ScoredReview],
    sev: dict[int, Fraction],
    criteria: Sequence[CriterionRule],
    threshold_bp: int,
) -> tuple[Fraction, Fraction, int, tuple[Shortfall, ...], bool]:
    means = criterion_means(rs)
    raw = score_bp(rs, criteria, means)
    cal = raw - Fraction(sum(sev[r.reviewer_id] for r in rs), len(rs))
    spread = max(r.total_bp for r in rs) - min(r.total_bp for r in rs)
    return raw, cal, spread, shortfalls_of(criteria, means), raw < threshold_bp


def rank_proposals(
    reviews: list[ScoredReview],
    requested: dict[int, int],
    *,
    criteria: Sequence[CriterionRule] = (),
    threshold_bp: int = 0,
) -> list[Ranked]:
    """Proposals by score, best first; equal scores share a rank and are marked tied (the
    id only fixes the order they are listed in)."""
    sev = severities(reviews)
    per = defaultdict(list)
    for r in reviews:
        per[r.proposal_id].append(r)
    rows = sorted(
        ((pid, *_consolidate(rs, sev, criteria, threshold_bp)) for pid, rs in per.items()),
        key=lambda x: (-x[1], x[0]),
    )
    scores = [row[1] for row in rows]
    return [
        Ranked(
            pid,
            1 + sum(1 for s in scores if s > raw),
            raw,
            cal,
            spread,
            spread >= DISAGREEMENT_BP,
            requested.get(pid, 0),
            shortfalls,
            below_total,
            scores.count(raw) > 1,
        )
        for pid, raw, cal, spread, shortfalls, below_total in rows
    ]


def split_by_line(group: list[Ranked], left_vnd: int) -> tuple[int, ...]:
    """The proposals of an equal-score group whose funding would depend on the order they
    are taken in: those that fit the budget left, when they do not all fit together.
    Empty when the budget decides the whole group alike (all fit, or none fits)."""
    fitting = [r for r in group if r.requested_vnd <= left_vnd]
    if len(fitting) >= 2 and sum(r.requested_vnd for r in fitting) > left_vnd:
        return tuple(r.proposal_id for r in fitting)
    return ()


def funding_line(
    ranked: list[Ranked], budget_vnd: int, overrides: dict[int, bool] | None = None
) -> FundingLine:
    """Fund passing proposals in rank order while the budget lasts; overrides win.

    A proposal that does not fit is skipped and later, cheaper ones may still fit (the
    line does not stop at the first that is too expensive). An equal-score group split by
    the line is reported as a tie; its members are listed in id order only provisionally.
    """
    overrides = overrides or {}
    left = budget_vnd - sum(r.requested_vnd for r in ranked if overrides.get(r.proposal_id))
    funded: dict[int, bool] = {}
    ties = []
    for _score, rows in groupby(ranked, key=lambda r: r.raw_bp):
        open_rows = []
        for r in rows:
            if r.proposal_id in overrides:
                funded[r.proposal_id] = overrides[r.proposal_id]
            elif not r.passes:
                funded[r.proposal_id] = False
            else:
                open_rows.append(r)
        if tie := split_by_line(open_rows, left):
            ties.append(tie)
        for r in open_rows:
            fits = r.requested_vnd <= left
            funded[r.proposal_id] = fits
            left -= r.requested_vnd if fits else 0
    return FundingLine(funded, tuple(ties))
