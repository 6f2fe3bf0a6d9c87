"""Portfolio indicators against the targets of Resolution 57-NQ/TW, over plain rows.

Each indicator carries its definition, its legal target and its legal basis (the code of a
row of funds/data/legal_instruments.csv and the article). Every figure is for one year: the
grant cohort for the commercialisation rate, the closing year for failures, the fiscal year
for money and national statistics. Arithmetic is exact (Fraction); only compound growth,
an n-th root, is computed in Decimal to 28 significant digits.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

from funds.errors import N_
from funds.projects.models import EXPLOITATION_KINDS

R57 = "res-57-nq-tw §II"
LAW93 = "law-93-2025-qh15 Art. 9"


@dataclass(frozen=True)
class Spec:
    """What an indicator is: written once, shown on the page, in exports and the CLI."""

    id: str
    unit: str  # share | growth | count | days | vnd
    definition: str
    target: str | None
    legal_basis: str  # "<legal_instrument.code> <article>"


@dataclass(frozen=True)
class Indicator:
    spec: Spec
    numerator: int | None
    denominator: int | None
    value: Fraction | None
    provisional: bool = False

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def unit(self) -> str:
        return self.spec.unit


@dataclass(frozen=True)
class OutputRow:
    id: int
    kind: str
    year: int
    international: bool = False
    exploits: int | None = None  # the id of the granted patent an exploitation exploits
    value_vnd: int | None = None


@dataclass(frozen=True)
class National:
    gdp_vnd: int
    gerd_state_vnd: int
    gerd_nonstate_vnd: int


@dataclass(frozen=True)
class Facts:
    """The rows behind the indicators (funds.projects.queries.indicator_facts)."""

    outputs: Sequence[OutputRow] = ()
    closures: Sequence[tuple[int, str]] = ()  # (closing year, outcome)
    committed: Sequence[tuple[int, str, int]] = ()  # (fiscal year, source, đồng)
    national: Mapping[int, National] = field(default_factory=dict)
    decision_days: Sequence[tuple[int, int]] = ()  # (decision year, days)
    closeout_days: Sequence[tuple[int, int]] = ()  # (closeout year, days)


@dataclass(frozen=True)
class Settings:
    """indicators.* legal settings and today's year (Vietnam time)."""

    current_year: int
    window_years: int = 5
    provisional_years: int = 2


def _s(id_, unit, definition, target, basis) -> Spec:
    return Spec(id_, unit, definition, target, basis)


SPECS: dict[str, Spec] = {
    s.id: s
    for s in (
        _s(
            "commercialisation_rate",
            "share",
            N_(
                "Distinct patents granted in the year (the grant cohort) with at least one "
                "licence, transfer, spin-off or own production linked to them within the "
                "window after grant ÷ patents granted in the year"
            ),
            N_("8–10% of patents exploited"),
            R57,
        ),
        _s(
            "exploitations",
            "count",
            N_("Licences, transfers, spin-offs and own production recorded in the year"),
            None,
            R57,
        ),
        _s(
            "exploitation_value",
            "vnd",
            N_("Value of the licences, transfers, spin-offs and own production of the year"),
            None,
            R57,
        ),
        *(
            _s(f"{what}_growth_{how}", "growth", definition, target, R57)
            for what, target in (
                ("patent_application", N_("16–18% a year on average")),
                ("patent_grant", N_("16–18% a year on average")),
                ("international_publication", N_("10% a year on average")),
            )
            for how, definition in (
                (
                    "compound",
                    N_(
                        "Compound annual growth from the baseline year: (this year ÷ "
                        "baseline)^(1/years) − 1"
                    ),
                ),
                (
                    "mean",
                    N_(
                        "Mean of the yearly growth rates from the baseline year (as MOST "
                        "reports average growth)"
                    ),
                ),
            )
        ),
        _s(
            "compliant_failure_rate",
            "share",
            N_(
                "Projects closed in the year as compliant failures (risk taken, procedure "
                "followed) ÷ projects closed in the year; a portfolio with none takes no risk"
            ),
            None,
            LAW93,
        ),
        _s(
            "noncompliant_failure_rate",
            "share",
            N_(
                "Projects closed in the year as failures with a broken condition ÷ projects "
                "closed in the year"
            ),
            None,
            LAW93,
        ),
        _s(
            "legacy_failure_rate",
            "share",
            N_(
                "Projects closed in the year as failures under the earlier rules (contracts "
                "before 19 Feb 2025, refund by cause) ÷ projects closed in the year"
            ),
            None,
            LAW93,
        ),
        _s(
            "gerd_share_of_gdp",
            "share",
            N_(
                "National gross domestic expenditure on R&D (GERD) ÷ GDP, from the imported "
                "national statistics"
            ),
            N_("2% of GDP"),
            R57,
        ),
        _s(
            "gerd_nonstate_share",
            "share",
            N_("Non-state GERD ÷ GERD, from the imported national statistics"),
            N_("over 60%"),
            R57,
        ),
        _s(
            "fund_cofunding_ratio",
            "share",
            N_(
                "The fund's own co-funding ratio: non-state ÷ total money committed to the "
                "fund's projects in the fiscal year (not the national 60% target)"
            ),
            None,
            R57,
        ),
        _s(
            "days_call_close_to_decision",
            "days",
            N_("Mean days from the call's closing to the funding decision, by decision year"),
            None,
            "res-57-nq-tw",
        ),
        _s(
            "days_final_report_to_closeout",
            "days",
            N_("Mean days from the final report to closeout, by closeout year"),
            None,
            LAW93,
        ),
    )
}


def ratio(num: int, den: int) -> Fraction | None:
    return Fraction(num, den) if den else None


def growth(this_year: int, last_year: int) -> Fraction | None:
    """Year-on-year growth; None where last year is zero (not evaluable)."""
    return Fraction(this_year - last_year, last_year) if last_year else None


def compound_growth(series: Sequence[int]) -> Fraction | None:
    """(last ÷ first)^(1/years) − 1 over a yearly series; None when the first is zero."""
    years = len(series) - 1
    if years < 1 or not series[0]:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        root = (Decimal(series[-1]) / Decimal(series[0])) ** (Decimal(1) / Decimal(years))
    return Fraction(root) - 1


def mean_growth(series: Sequence[int]) -> Fraction | None:
    """The mean of the yearly rates; None when any year but the last is zero."""
    rates = [growth(b, a) for a, b in pairwise(series)]
    if not rates or any(r is None for r in rates):
        return None
    return sum((r for r in rates if r is not None), Fraction(0)) / len(rates)


def is_provisional(year: int, settings: Settings) -> bool:
    """Outputs of recent years are still being recorded (indicators.provisional_years)."""
    return settings.current_year - year < settings.provisional_years


def exploited_patents(outputs: Sequence[OutputRow], cohort: int, window: int) -> tuple[int, int]:
    """(granted patents of the cohort exploited within `window` years of grant, granted).

    Each patent counts once however many exploitations it has, so the rate is at most 1;
    an exploitation recorded before the grant (of the pending application) counts too."""
    grants = {o.id for o in outputs if o.kind == "patent_grant" and o.year == cohort}
    exploited = {
        o.exploits
        for o in outputs
        if o.kind in EXPLOITATION_KINDS and o.exploits in grants and o.year <= cohort + window
    }
    return len(exploited), len(grants)


def _make(id_: str, num: int | None, den: int | None, value: Fraction | None) -> Indicator:
    return Indicator(SPECS[id_], num, den, value)


def _commercialisation(facts: Facts, year: int, settings: Settings) -> list[Indicator]:
    exploited, granted = exploited_patents(facts.outputs, year, settings.window_years)
    of_year = [o for o in facts.outputs if o.kind in EXPLOITATION_KINDS and o.year == year]
    worth = sum(o.value_vnd or 0 for o in of_year)
    return [
        _make("commercialisation_rate", exploited, granted, ratio(exploited, granted)),
        _make("exploitations", len(of_year), None, Fraction(len(of_year))),
        _make("exploitation_value", worth, None, Fraction(worth)),
    ]


def _counts(facts: Facts, what: str, years: range) -> list[int]:
    def counted(o: OutputRow) -> bool:
        if what == "international_publication":
            return o.kind == "publication" and o.international
        return o.kind == what

    return [sum(1 for o in facts.outputs if o.year == y and counted(o)) for y in years]


def _growth(facts: Facts, year: int, baseline: int) -> list[Indicator]:
    found = []
    for what in ("patent_application", "patent_grant", "international_publication"):
        series = _counts(facts, what, range(baseline, year + 1)) if baseline < year else []
        first, last = (series[0], series[-1]) if series else (None, None)
        found += [
            _make(f"{what}_growth_compound", last, first, compound_growth(series)),
            _make(f"{what}_growth_mean", last, first, mean_growth(series)),
        ]
    return found


def _failures(facts: Facts, year: int) -> list[Indicator]:
    closed = [outcome for y, outcome in facts.closures if y == year]
    compliant = closed.count("compliant_failure")
    broken = closed.count("noncompliant_failure")
    legacy = closed.count("legacy_failure")
    return [
        _make("compliant_failure_rate", compliant, len(closed), ratio(compliant, len(closed))),
        _make("noncompliant_failure_rate", broken, len(closed), ratio(broken, len(closed))),
        _make("legacy_failure_rate", legacy, len(closed), ratio(legacy, len(closed))),
    ]


def _money(facts: Facts, year: int) -> list[Indicator]:
    stats = facts.national.get(year)
    gerd = stats.gerd_state_vnd + stats.gerd_nonstate_vnd if stats else None
    nonstate = stats.gerd_nonstate_vnd if stats else None
    gdp = stats.gdp_vnd if stats else None
    total = sum(a for y, _s, a in facts.committed if y == year)
    own = sum(a for y, s, a in facts.committed if y == year and s == "nonstate")
    return [
        _make("gerd_share_of_gdp", gerd, gdp, ratio(gerd or 0, gdp or 0)),
        _make("gerd_nonstate_share", nonstate, gerd, ratio(nonstate or 0, gerd or 0)),
        _make("fund_cofunding_ratio", own, total, ratio(own, total)),
    ]


def _days(rows: Sequence[tuple[int, int]], id_: str, year: int) -> Indicator:
    days = [d for y, d in rows if y == year]
    return _make(id_, sum(days), len(days), ratio(sum(days), len(days)))


def indicators(
    facts: Facts, year: int, *, settings: Settings, baseline: int | None = None
) -> list[Indicator]:
    """Every indicator of one year (growth from `baseline`, default five years earlier),
    each marked provisional while the year's outputs can still be recorded."""
    found = [
        *_commercialisation(facts, year, settings),
        *_growth(facts, year, year - 5 if baseline is None else baseline),
        *_failures(facts, year),
        *_money(facts, year),
        _days(facts.decision_days, "days_call_close_to_decision", year),
        _days(facts.closeout_days, "days_final_report_to_closeout", year),
    ]
    provisional = is_provisional(year, settings)
    return [Indicator(i.spec, i.numerator, i.denominator, i.value, provisional) for i in found]


def as_json(indicator: Indicator, year: int) -> dict:
    """The machine-readable form (flask indicators --format json): a share or growth as a
    decimal fraction rounded half up to 6 places, days likewise, counts and đồng whole."""
    value = indicator.value
    shown: int | float | None = None
    if value is not None and indicator.unit in ("count", "vnd"):
        shown = int(value)
    elif value is not None:
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        shown = float(exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))
    return {
        "year": year,
        "id": indicator.id,
        "unit": indicator.unit,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "value": shown,
        "target": indicator.spec.target,
        "legal_basis": indicator.spec.legal_basis,
        "provisional": indicator.provisional,
        "definition": indicator.spec.definition,
    }
