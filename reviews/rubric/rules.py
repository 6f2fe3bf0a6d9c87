"""Pure scoring rules: a rubric's weighted total and its thresholds."""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from funds.errors import N_
from funds.rules import Violation

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class CriterionRule:
    id: int
    name: str
    weight: int
    scale_max: int
    threshold: int


def weighted_total(criteria: list[CriterionRule], scores: Mapping[int, int | Fraction]) -> Fraction:
    """Σ weight·score/scale ÷ Σ weight: 0 for all zeros, 1 for full marks on every criterion.

    Linear in the scores, so the total of the per-criterion means of several reviews is the
    mean of their exact totals."""
    weights = sum(c.weight for c in criteria)
    if not weights:
        return Fraction(0)
    return (
        sum((Fraction(c.weight * scores.get(c.id, 0), c.scale_max) for c in criteria), Fraction(0))
        / weights
    )


def total_basis_points(total: Fraction) -> int:
    """The total in basis points (hundredths of a percent), rounded half up."""
    scaled = total * BASIS_POINTS
    return int(scaled + Fraction(1, 2))


def share_of_basis_points(bp: int | None) -> Fraction | None:
    """A stored total (basis points) as the share of the maximum it stands for."""
    return None if bp is None else Fraction(bp, BASIS_POINTS)


def criterion_violations(
    criteria: list[CriterionRule],
    scores: dict[int, int | None],
    comments: dict[int, str],
    *,
    final: bool,
) -> list[Violation]:
    """Scores within each scale; on submission every criterion scored and commented."""
    found = []
    for c in criteria:
        score, field = scores.get(c.id), f"score_{c.id}"
        if score is not None and not 0 <= score <= c.scale_max:
            found.append(
                Violation(
                    field,
                    N_("Scores for %(criterion)s go from 0 to %(max)s."),
                    {"criterion": c.name, "max": c.scale_max},
                )
            )
        if final and score is None:
            found.append(
                Violation(
                    field, N_("Score %(criterion)s before submitting."), {"criterion": c.name}
                )
            )
        if final and not comments.get(c.id, "").strip():
            found.append(
                Violation(
                    f"comment_{c.id}",
                    N_("Comment on %(criterion)s before submitting."),
                    {"criterion": c.name},
                )
            )
    return found


def criteria_below_threshold(
    criteria: list[CriterionRule], scores: Mapping[int, int | Fraction]
) -> list[CriterionRule]:
    """The criteria whose score (a review's, or a proposal's mean) is below their threshold;
    an unscored criterion counts as below unless its threshold is 0."""
    return [c for c in criteria if scores.get(c.id, 0) < c.threshold]


def passes_thresholds(
    criteria: list[CriterionRule], scores: Mapping[int, int | Fraction], total_threshold_pct: int
) -> bool:
    """Every criterion at or above its threshold and the total at or above the call's."""
    each = not criteria_below_threshold(criteria, scores)
    return each and weighted_total(criteria, scores) * 100 >= total_threshold_pct


ANCHOR_MAX_CHARS = 1000


def anchor_violations(scale_max: int, texts: Mapping[int, str]) -> list[Violation]:
    """Level descriptions only for levels of the scale (0 to its maximum), each short."""
    found = []
    for level, text in texts.items():
        field = f"level_{level}"
        if not 0 <= level <= scale_max:
            found.append(Violation(field, N_("Levels go from 0 to %(max)s."), {"max": scale_max}))
        elif len(text.strip()) > ANCHOR_MAX_CHARS:
            found.append(
                Violation(
                    field,
                    N_("A level's description has at most %(n)s characters."),
                    {"n": ANCHOR_MAX_CHARS},
                )
            )
    return found
