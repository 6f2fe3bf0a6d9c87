"""Pure rules of a fund's rating-sheet criteria for acceptance and mid-term councils: the
built-in defaults, the shape a fund's own criteria must have, and the snapshot an agenda
item keeps of the criteria its sheets are scored on.

Ids: a built-in default has a small id local to the sheet (1, 2, …); a fund's own criterion
has its row's id. They never meet: an item's sheets are scored on the criteria of its
snapshot, whatever they were, and a fund's change applies only to items not yet rated.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from funds.errors import N_
from funds.rules import Violation
from reviews.rubric.rules import CriterionRule

MAX_CRITERIA = 20


@dataclass(frozen=True)
class SheetCriterion:
    """A criterion of a rating sheet: the shape of a rubric's Criterion."""

    id: int
    name: str
    description: str
    weight: int
    scale_max: int
    threshold: int

    @property
    def rule(self) -> CriterionRule:
        return CriterionRule(self.id, self.name, self.weight, self.scale_max, self.threshold)


@dataclass(frozen=True)
class CriterionInput:
    """A criterion as a fund's manager typed it (no id: its place in the list is its order)."""

    name: str
    description: str = ""
    weight: int = 1
    scale_max: int = 5
    threshold: int = 0


# Acceptance (nghiệm thu) of a task's results: the completeness and the quality of the
# products against the contract, the final report, and the use of the results, as in the
# acceptance evaluation of Circular 11/2014/TT-BKHCN [to be verified per fund: these are
# defaults, and each fund sets its own on the council rules page].
ACCEPTANCE_DEFAULTS: tuple[SheetCriterion, ...] = (
    SheetCriterion(
        1,
        N_("Products delivered in the kind and quantity contracted"),
        N_("Each product of the contract, in its kind and the quantity committed."),
        3,
        5,
        3,
    ),
    SheetCriterion(
        2,
        N_("Quality of the products against the contracted indicators"),
        N_("Each contracted quality indicator is checked below, met or not, with its value."),
        3,
        5,
        3,
    ),
    SheetCriterion(
        3,
        N_("The final report: methods, results and their evidence"),
        N_("The final report's completeness and the evidence of its results."),
        2,
        5,
        2,
    ),
    SheetCriterion(
        4,
        N_("Publication, application and transfer of the results"),
        N_("Publications, users of the results, transfer and commercialisation."),
        2,
        5,
        0,
    ),
)
# Mid-term inspection: progress against the plan, use of the funds, the outlook [practice;
# to be verified per fund].
MIDTERM_DEFAULTS: tuple[SheetCriterion, ...] = (
    SheetCriterion(
        1,
        N_("Progress against the work plan and milestones"),
        N_("The work done against the approved plan and its milestones."),
        3,
        5,
        2,
    ),
    SheetCriterion(
        2,
        N_("Use of the funds against the approved budget"),
        N_("Spending against the approved budget and its rules."),
        2,
        5,
        2,
    ),
    SheetCriterion(
        3,
        N_("Likelihood of reaching the contracted results"),
        N_("Whether the contracted products can still be delivered in time."),
        3,
        5,
        2,
    ),
)
DEFAULTS: dict[str, tuple[SheetCriterion, ...]] = {
    "acceptance": ACCEPTANCE_DEFAULTS,
    "midterm": MIDTERM_DEFAULTS,
}
DEFAULT_TEXTS = frozenset(
    text for group in DEFAULTS.values() for c in group for text in (c.name, c.description)
)


def criteria_problems(criteria: Sequence[CriterionInput], basis: str) -> list[Violation]:
    """A fund's criteria have the checks of a rubric's: a name, a positive weight, a scale of
    2 to 100 and a threshold within it; at least one criterion, names distinct; and the
    legal basis or the fund's own rule they rest on. Fields are named by row: name_0, …"""
    found = []
    if not criteria:
        found.append(Violation("criteria", N_("Keep at least one criterion.")))
    if len(criteria) > MAX_CRITERIA:
        found.append(
            Violation("criteria", N_("At most %(count)s criteria."), {"count": MAX_CRITERIA})
        )
    seen: set[str] = set()
    for n, c in enumerate(criteria):
        found += _row_problems(n, c, seen)
    if not basis.strip():
        found.append(
            Violation("basis", N_("Name the legal basis or the fund's own rule for the criteria."))
        )
    elif len(basis.strip()) > 300:
        found.append(Violation("basis", N_("The basis has at most 300 characters.")))
    return found


def _row_problems(n: int, c: CriterionInput, seen: set[str]) -> list[Violation]:
    found = []
    name = c.name.strip()
    if not name or len(name) > 200:
        found.append(Violation(f"name_{n}", N_("A criterion has a name of 1 to 200 characters.")))
    elif name.casefold() in seen:
        found.append(Violation(f"name_{n}", N_("Two criteria have the same name.")))
    seen.add(name.casefold())
    if len(c.description.strip()) > 2000:
        found.append(
            Violation(f"description_{n}", N_("A description has at most 2000 characters."))
        )
    if not 1 <= c.weight <= 100:
        found.append(Violation(f"weight_{n}", N_("Weights go from 1 to 100.")))
    if not 2 <= c.scale_max <= 100:
        found.append(Violation(f"scale_max_{n}", N_("Scales go from 2 to 100.")))
    elif not 0 <= c.threshold <= c.scale_max:
        found.append(
            Violation(f"threshold_{n}", N_("A threshold lies within the scale (0 to its maximum)."))
        )
    return found


def dump_snapshot(criteria: Sequence[SheetCriterion]) -> str:
    """The criteria an item's sheets are scored on, as the item keeps them."""
    return json.dumps([asdict(c) for c in criteria], ensure_ascii=False)


def load_snapshot(text: str) -> list[SheetCriterion] | None:
    """An item's criteria as kept; None while its first sheet has not been saved."""
    if not text:
        return None
    return [SheetCriterion(**row) for row in json.loads(text)]


def described(criteria: Sequence[CriterionRule], descriptions: dict[int, str]):
    """Rubric rules with their descriptions, as sheet criteria (for a snapshot)."""
    return [
        SheetCriterion(c.id, c.name, descriptions.get(c.id, ""), c.weight, c.scale_max, c.threshold)
        for c in criteria
    ]
