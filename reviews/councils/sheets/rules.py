"""Pure rules of rating sheets: the criteria of each kind of item, what a sheet needs before
it is submitted, its total, and how a score table is anonymised.

One engine (issue 14, item 8): totals are reviews.rubric.rules.weighted_total, the same
measure as a peer review; calibration, disagreement and ranking are reviews.consolidation's,
applied to sheets as if each sheet were a review (the item in place of the proposal, the
member's seat in place of the reviewer).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from funds.errors import N_
from funds.rules import Violation
from reviews.consolidation.rules import ScoredReview
from reviews.councils.criteria.rules import DEFAULT_TEXTS
from reviews.rubric.rules import (
    CriterionRule,
    criterion_violations,
    total_basis_points,
    weighted_total,
)

# Acceptance and mid-term sheets: the fund's own criteria, else the built-in defaults (to
# be verified per fund), reviews/councils/criteria. A call without a rubric: one overall
# score, on peer review's skeleton scale.
OVERALL: tuple[CriterionRule, ...] = (CriterionRule(0, N_("Overall score"), 1, 10, 0),)
BUILT_IN_NAMES = DEFAULT_TEXTS | {c.name for c in OVERALL}  # translated when shown


@dataclass(frozen=True)
class IndicatorCheck:
    """A member's check of one contracted quality indicator: met or not, the value seen."""

    met: bool | None = None
    measured: str = ""


def load_scores(text: str) -> dict[int, int]:
    """A sheet's stored scores {"criterion id": score} as {id: score}."""
    return {int(k): int(v) for k, v in json.loads(text or "{}").items() if v is not None}


def dump_scores(scores: Mapping[int, int | None]) -> str:
    return json.dumps({str(k): v for k, v in sorted(scores.items()) if v is not None})


def load_checks(text: str) -> dict[int, IndicatorCheck]:
    raw = json.loads(text or "{}")
    return {int(k): IndicatorCheck(v.get("met"), v.get("measured", "")) for k, v in raw.items()}


def dump_checks(checks: Mapping[int, IndicatorCheck]) -> str:
    return json.dumps(
        {str(k): {"met": c.met, "measured": c.measured} for k, c in sorted(checks.items())}
    )


def sheet_violations(
    criteria: Sequence[CriterionRule],
    scores: Mapping[int, int | None],
    opinion: str,
    checks: Mapping[int, IndicatorCheck],
    indicator_ids: Sequence[int],
    *,
    final: bool,
) -> list[Violation]:
    """Scores within each scale (peer review's check); on submission every criterion
    scored, every contracted indicator checked (met or not) and a written opinion."""
    found = criterion_violations(list(criteria), dict(scores), {}, final=False)
    if not final:
        return found
    found += [
        Violation(f"score_{c.id}", N_("Score %(name)s before submitting."), {"name": c.name})
        for c in criteria
        if scores.get(c.id) is None
    ]
    found += [
        Violation(f"indicator_{i}", N_("Check this quality indicator: met or not met."))
        for i in indicator_ids
        if checks.get(i, IndicatorCheck()).met is None
    ]
    if not opinion.strip():
        found.append(Violation("opinion", N_("Write your opinion before submitting.")))
    return found


def sheet_total_bp(criteria: Sequence[CriterionRule], scores: Mapping[int, int]) -> int:
    """The sheet's weighted total in basis points: the measure of a peer review."""
    return total_basis_points(weighted_total(list(criteria), scores))


def as_review(item_id: int, seat_id: int, criteria, scores: Mapping[int, int]) -> ScoredReview:
    """A submitted sheet in consolidation's terms, so its calibration, disagreement flags
    and ranking apply unchanged (the item for the proposal, the seat for the reviewer)."""
    return ScoredReview(item_id, seat_id, sheet_total_bp(criteria, scores), dict(scores))


def anonymous_order(rows: Sequence[tuple[int, str]]) -> list[int]:
    """Positions of anonymised rows (total_bp, opinion) in the order they are labelled A, B,
    …: by total then text, so a label says nothing about a seat or when it was filled."""
    return sorted(range(len(rows)), key=lambda i: (-rows[i][0], rows[i][1]))


def label_of(position: int) -> str:
    """A, B, …, Z, AA, AB, … for anonymised members."""
    out = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        out = chr(65 + rest) + out
    return out


def anonymised(spec) -> bool:
    """Score tables name their members unless the fund votes by secret ballot: a named table
    of scores beside a secret vote would let a reader infer each member's vote. The rules
    have no separate setting for it (that would be a schema change)."""
    return spec.ballot == "secret"
