"""Pure conflict-of-interest detection between a reviewer and a proposal's team."""

import re
import unicodedata
from dataclasses import dataclass, field

from funds.errors import N_

COAUTHOR_YEARS = 3  # co-authorship within the last three years is a conflict


@dataclass(frozen=True)
class PublicationFacts:
    year: int | None
    authors: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    name: str
    institution: str = ""
    publications: tuple[PublicationFacts, ...] = field(default_factory=tuple)


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing folded: 'Đại học Bách Khoa' ≈ 'dai hoc bach khoa'."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _coauthored(a: Person, b: Person, current_year: int) -> bool:
    names = {normalise(b.name)}
    for pub in a.publications:
        if pub.year is None or current_year - pub.year > COAUTHOR_YEARS:
            continue
        if names & {normalise(x) for x in pub.authors}:
            return True
    return False


def detect_conflicts(reviewer: Person, team: list[Person], *, current_year: int) -> list[str]:
    """Reasons (translatable msgids) why the reviewer is conflicted with the team; [] if none."""
    reasons = []
    mine = normalise(reviewer.institution)
    if mine and any(normalise(p.institution) == mine for p in team):
        reasons.append(N_("Same institution as a member of the team."))
    if any(
        _coauthored(reviewer, p, current_year) or _coauthored(p, reviewer, current_year)
        for p in team
    ):
        reasons.append(N_("Co-authored with a member of the team in the last three years."))
    return reasons
