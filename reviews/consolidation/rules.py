"""Pure consolidation: calibrated scores, disagreement, ranking and the funding line.

Calibration (documented): a reviewer's severity is the mean of their totals in the call
minus the mean of all totals in the call; the calibrated total of a review is its raw total
minus its reviewer's severity. A reviewer with a single review is not corrected.
"""

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

DISAGREEMENT_BP = 2_500  # a spread of 25 points of 100 between reviewers is flagged


@dataclass(frozen=True)
class ScoredReview:
    proposal_id: int
    reviewer_id: int
    total_bp: int


@dataclass(frozen=True)
class Ranked:
    proposal_id: int
    rank: int
    raw_bp: Fraction
    calibrated_bp: Fraction
    spread_bp: int
    disagreement: bool
    requested_vnd: int
    passes: bool


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


def rank_proposals(
    reviews: list[ScoredReview], requested: dict[int, int], *, threshold_bp: int
) -> list[Ranked]:
    """Proposals by calibrated mean, best first; ties broken by raw mean then id."""
    sev = severities(reviews)
    per = defaultdict(list)
    for r in reviews:
        per[r.proposal_id].append(r)
    rows = []
    for pid, rs in per.items():
        raw = Fraction(sum(r.total_bp for r in rs), len(rs))
        cal = Fraction(sum(r.total_bp - sev[r.reviewer_id] for r in rs), len(rs))
        spread = max(r.total_bp for r in rs) - min(r.total_bp for r in rs)
        rows.append((pid, raw, cal, spread))
    rows.sort(key=lambda x: (-x[2], -x[1], x[0]))
    return [
        Ranked(
            pid,
            i + 1,
            raw,
            cal,
            spread,
            spread >= DISAGREEMENT_BP,
            requested.get(pid, 0),
            raw >= threshold_bp,
        )
        for i, (pid, raw, cal, spread) in enumerate(rows)
    ]


def funding_line(
    ranked: list[Ranked], budget_vnd: int, overrides: dict[int, bool] | None = None
) -> dict[int, bool]:
    """Fund passing proposals in rank order while the budget lasts; overrides win.

    A proposal that does not fit is skipped and later, cheaper ones may still fit
    (the line does not stop at the first that is too expensive).
    """
    overrides = overrides or {}
    left = budget_vnd - sum(r.requested_vnd for r in ranked if overrides.get(r.proposal_id))
    funded = {}
    for r in ranked:
        if r.proposal_id in overrides:
            funded[r.proposal_id] = overrides[r.proposal_id]
            continue
        fits = r.passes and r.requested_vnd <= left
        funded[r.proposal_id] = fits
        left -= r.requested_vnd if fits else 0
    return funded
