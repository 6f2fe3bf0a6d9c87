"""Portfolio indicators against the targets of Resolution 57-NQ/TW, over plain rows."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Indicator:
    id: str
    value: Fraction | None
    target: str
    definition: str
    source: str
    unit: str = "share"  # share (shown as %) or days


def ratio(num: int, den: int) -> Fraction | None:
    return Fraction(num, den) if den else None


def growth(this_year: int, last_year: int) -> Fraction | None:
    """Year-on-year growth; None where last year is zero (not evaluable)."""
    return Fraction(this_year - last_year, last_year) if last_year else None


def mean_days(rows: list[tuple[int, int]], year: int) -> Fraction | None:
    """The mean of (year, days) rows of a year; None where there is none."""
    days = [d for y, d in rows if y == year]
    return Fraction(sum(days), len(days)) if days else None


def indicators(
    outputs: list[tuple[str, int, bool]],
    outcomes: list[str],
    funding: list[tuple[str, int]],
    year: int,
    decision_days: Sequence[tuple[int, int]] = (),
    closeout_days: Sequence[tuple[int, int]] = (),
) -> list[Indicator]:
    """outputs: (kind, year, international); outcomes: closeout outcomes; funding: (source,
    đồng); decision_days and closeout_days: (year, days) per project."""
    kinds = Counter((k, y) for k, y, _ in outputs)
    commercial = sum(kinds[(k, year)] for k in ("licence", "transfer", "spin_off"))
    granted = kinds[("patent_grant", year)]
    completed = len(outcomes)
    intl = Counter(y for k, y, i in outputs if k == "publication" and i)
    total = sum(a for _, a in funding)
    nonstate = sum(a for s, a in funding if s == "nonstate")
    failures = sum(1 for o in outcomes if o != "success")
    return [
        Indicator(
            "commercialisation_per_patent",
            ratio(commercial, granted),
            "8–10%",
            "licences, transfers and spin-offs ÷ patents granted",
            "Resolution 57-NQ/TW",
        ),
        Indicator(
            "commercialisation_per_project",
            ratio(commercial, completed),
            "—",
            "licences, transfers and spin-offs ÷ completed projects",
            "Resolution 57-NQ/TW",
        ),
        Indicator(
            "patent_application_growth",
            growth(kinds[("patent_application", year)], kinds[("patent_application", year - 1)]),
            "16–18% a year",
            "patent applications this year vs last year",
            "Resolution 57-NQ/TW",
        ),
        Indicator(
            "international_publication_growth",
            growth(intl[year], intl[year - 1]),
            "10% a year",
            "international publications this year vs last year",
            "Resolution 57-NQ/TW",
        ),
        Indicator(
            "nonstate_share",
            ratio(nonstate, total),
            "> 60%",
            "non-state ÷ total project funding",
            "Resolution 57-NQ/TW",
        ),
        Indicator(
            "failure_rate",
            ratio(failures, completed),
            "within the fund's band",
            "failed ÷ closed projects (a portfolio with no failure takes no risk)",
            "Resolution 57-NQ/TW; Law 93/2025/QH15",
        ),
        Indicator(
            "days_call_close_to_decision",
            mean_days(list(decision_days), year),
            "—",
            "mean days from the call's closing to the funding decision, by decision year",
            "Resolution 57-NQ/TW (less paperwork, faster funding)",
            "days",
        ),
        Indicator(
            "days_final_report_to_closeout",
            mean_days(list(closeout_days), year),
            "—",
            "mean days from the final report to closeout, by closeout year",
            "Law 93/2025/QH15 Art. 9",
            "days",
        ),
    ]
