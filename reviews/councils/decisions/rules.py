"""Pure rules of decisions that cite a council: what the council recommended, what counts as
a departure from it, and that every departure carries its reason (the decision document
shows it)."""

from collections.abc import Mapping
from dataclasses import dataclass

from funds.errors import N_
from funds.rules import Violation
from reviews.councils.meetings.models import Recommendation as R

FUNDED, NOT_FUNDED = "funded", "not_funded"
OUTCOMES = (FUNDED, NOT_FUNDED)
RECOMMENDED = (R.SELECT, R.SELECT_WITH_CHANGES)


def is_recommended(conclusion: str | None) -> bool:
    """The council recommends funding: select, or select with changes."""
    return conclusion in RECOMMENDED


def is_departure(conclusion: str | None, outcome: str) -> bool:
    """The fund departs from the council: funding an item it did not recommend, not funding
    one it recommended, or deciding an item on which it reached no conclusion."""
    if conclusion == R.NO_CONCLUSION or conclusion is None:
        return True
    return (outcome == FUNDED) != is_recommended(conclusion)


@dataclass(frozen=True)
class Line:
    """One item as the decision takes it."""

    item_id: int
    conclusion: str | None
    outcome: str | None  # None: the fund gave none
    reason: str


def line_problems(lines: list[Line]) -> list[Violation]:
    """Every item needs an outcome; every departure needs its reason."""
    found = []
    for line in lines:
        if line.outcome not in OUTCOMES:
            found.append(Violation(f"outcome_{line.item_id}", N_("Choose funded or not funded.")))
        elif is_departure(line.conclusion, line.outcome) and not line.reason.strip():
            found.append(
                Violation(
                    f"reason_{line.item_id}",
                    N_(
                        "This outcome departs from the council's recommendation: give the "
                        "reason, which the decision shows."
                    ),
                )
            )
    return found


def lines_from(
    conclusions: Mapping[int, str | None], outcomes: Mapping[int, tuple[str, str]]
) -> list[Line]:
    """The decision's lines for the items ({item id: conclusion}) from the fund's outcomes
    ({item id: (outcome, reason)})."""
    return [
        Line(item_id, conclusion, *(outcomes.get(item_id) or (None, "")))
        for item_id, conclusion in conclusions.items()
    ]
