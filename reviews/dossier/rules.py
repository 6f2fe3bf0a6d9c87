"""Pure rules of the reviewers' dossier: what blind review hides, the budget as a grid."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from funds.errors import N_

PDF_TYPES = frozenset({"application/pdf"})
PI_LABEL = N_("Principal investigator")  # the PI's name in a blind work plan (a msgid)


class _Stored(Protocol):
    sha256: str


S = TypeVar("S", bound=_Stored)  # a stored attachment


def review_is_blind(rubric) -> bool:
    """Blind unless the call's rubric says otherwise; a call without a rubric is blind, as
    review always was: reviewers never learn who applied."""
    return rubric is None or bool(rubric.blind)


def blind_snapshot(snapshot: Mapping) -> dict:
    """The submitted version without who applied: no PI (name, e-mail, CV, publications),
    no host organisation, team members by number with their role and effort only, and a
    work-plan owner who is a named person shown by that number (the PI by PI_LABEL, a msgid
    the page translates: owner_is_pi)."""
    labels = {}
    pi = snapshot.get("pi") or {}
    if pi.get("name"):
        labels[pi["name"].strip().casefold()] = PI_LABEL
    team = []
    for n, member in enumerate(snapshot.get("team", []), start=1):
        label = f"#{n}"
        labels[(member.get("name") or "").strip().casefold()] = label
        team.append(
            {"label": label, "role": member.get("role"), "effort_pct": member.get("effort_pct")}
        )
    plan = []
    for w in snapshot.get("work_packages", []):
        shown = labels.get((w.get("owner") or "").strip().casefold())
        plan.append({**w, "owner": shown or w.get("owner"), "owner_is_pi": shown == PI_LABEL})
    return {**snapshot, "pi": None, "host": None, "team": team, "work_packages": plan}


@dataclass(frozen=True)
class BudgetRow:
    category: str
    amounts: tuple[int | None, ...]  # one per year of the grid, None where nothing is asked
    total: int


@dataclass(frozen=True)
class BudgetGrid:
    """The budget by category (rows) and fiscal year (columns), with the totals."""

    years: tuple[int, ...]
    rows: tuple[BudgetRow, ...]
    year_totals: tuple[int, ...]
    total: int


def budget_grid(lines: Iterable[Mapping]) -> BudgetGrid:
    """Snapshot budget lines ({category, year, amount_vnd}) as a category × year grid, the
    categories in the order they first appear."""
    cells: dict[str, dict[int, int]] = {}
    for line in lines:
        row = cells.setdefault(line["category"], {})
        row[int(line["year"])] = row.get(int(line["year"]), 0) + int(line["amount_vnd"])
    years = tuple(sorted({y for row in cells.values() for y in row}))
    rows = tuple(
        BudgetRow(c, tuple(row.get(y) for y in years), sum(row.values()))
        for c, row in cells.items()
    )
    year_totals = tuple(sum(row.get(y, 0) for row in cells.values()) for y in years)
    return BudgetGrid(years, rows, year_totals, sum(year_totals))


def submitted_files(snapshot: Mapping, stored: Iterable[S]) -> list[tuple[dict, S | None]]:
    """Each file of the submitted version with its stored attachment (matched by SHA-256),
    or None when that file is no longer kept."""
    by_hash = {a.sha256: a for a in stored}
    return [(f, by_hash.get(f.get("sha256"))) for f in snapshot.get("attachments", [])]
