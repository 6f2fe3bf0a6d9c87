"""Pure evaluation of compliance rules on one year's figures: plain values in, results out.

Each rule is a row naming its legal instrument and the fiscal years it is in force
(funds.legal); the engine evaluates, for a fiscal year, exactly the rules in force that year:

- Law on Science and Technology 29/2013/QH13 Art. 49(1), fiscal years up to 2024: the state
  S&T appropriation is at least 2% of total state budget expenditure (`st_share`).
- Resolution 57-NQ/TW §III.3 (22/12/2024), from fiscal year 2025: at least 3% of total state
  budget expenditure to science, technology, innovation and digital transformation
  (`stidx_share`), and at least 15% of the state budget for science to strategic-technology
  research (`strategic_share`, its base a legal setting).
- "Rising year by year" (both texts) is an indicator (`st_share_rising`): the year's share
  against the previous year's share of the same measure, never a floor.

A budget year holds the original estimate (basis `planned`) and, when recorded, the revised
estimate (`revised`) and the final accounts (`final`); the budget-share rules are evaluated
on each that is present. All arithmetic is exact (Fraction); rounding is for display only and
never carries a failing value onto its threshold.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor
from typing import Any

from funds.errors import N_

LEDGER_BASES = ("planned", "committed", "disbursed")
BASES = LEDGER_BASES  # the ledger's bases (the name the pages and reports use)
ESTIMATE_BASES = ("planned", "revised", "final")  # original estimate, revised, final accounts


@dataclass(frozen=True)
class BasisFigures:
    """Ledger sums of one year on one basis, in đồng (strategic: on the list that year)."""

    state_strategic: int = 0
    state_total: int = 0
    nonstate_total: int = 0


@dataclass(frozen=True)
class Budget:
    """One version of a year's budget lines, in đồng."""

    total: int
    stidx: int  # S&T, innovation and digital transformation
    st: int  # the state S&T budget, within the S&T/I/DX line

    def line(self, measure: str) -> int:
        return self.st if measure == "st" else self.stidx


@dataclass(frozen=True)
class YearFigures:
    """What the rules read for one fiscal year; budget lines are None when not recorded.
    The three budget fields are the original estimate; `estimates` holds later versions."""

    fiscal_year: int
    total_state_budget_vnd: int | None = None
    stidx_budget_vnd: int | None = None
    st_budget_vnd: int | None = None
    bases: dict[str, BasisFigures] = field(default_factory=dict)
    estimates: dict[str, Budget] = field(default_factory=dict)  # "revised", "final"

    def basis(self, name: str) -> BasisFigures:
        return self.bases.get(name, BasisFigures())

    @property
    def has_budget(self) -> bool:
        return bool(self.budgets())

    def budget(self, basis: str) -> Budget | None:
        """The budget version read under a basis: planned (original), revised, final."""
        if basis == "planned":
            if self.total_state_budget_vnd is None:
                return None
            return Budget(
                self.total_state_budget_vnd, self.stidx_budget_vnd or 0, self.st_budget_vnd or 0
            )
        return self.estimates.get(basis)

    def budgets(self) -> list[tuple[str, Budget]]:
        """(basis, budget) for each version present, original first."""
        return [(b, budget) for b in ESTIMATE_BASES if (budget := self.budget(b)) is not None]

    def latest(self) -> tuple[str, Budget] | None:
        """The most recent version present: final accounts, else revised, else original."""
        found = self.budgets()
        return found[-1] if found else None


@dataclass(frozen=True)
class RuleSpec:
    """A rule row as plain values (see funds.compliance.models.ComplianceRule)."""

    id: str
    metric: str
    kind: str = "floor"
    threshold: Fraction | None = None
    strict: bool = False
    effective_from: int | None = None
    effective_to: int | None = None
    source: str = ""
    instrument: str | None = None
    legal_basis: str = ""  # "Resolution 57-NQ/TW §III.3"

    def applies_to(self, year: int) -> bool:
        """In effect in that fiscal year (both ends inclusive, open when None)."""
        return (self.effective_from is None or self.effective_from <= year) and (
            self.effective_to is None or year <= self.effective_to
        )


@dataclass(frozen=True)
class Settings:
    """The legal settings the rules read (funds.legal.settings, with their defaults)."""

    strategic_base: str = "st"  # st: the state S&T budget; stidx: the S&T/I/DX line
    coverage_warning_below: Fraction = Fraction(1, 2)


@dataclass(frozen=True)
class RuleResult:
    """One rule on one basis in one year. value/threshold/ok/shortfall are None when the
    rule cannot be evaluated; `reason` (a translatable message) then says why. An indicator
    has ok None and shortfall 0. `coverage` (strategic share only) is how much of the base
    the ledger's state lines cover; `coverage_low` when below the warning setting."""

    rule: str
    basis: str
    kind: str
    fiscal_year: int
    value: Fraction | None
    threshold: Fraction | None
    ok: bool | None
    shortfall_vnd: int | None
    numerator_vnd: int | None = None
    denominator_vnd: int | None = None
    reason: str | None = None
    params: dict = field(default_factory=dict)
    strict: bool = False
    legal_basis: str = ""
    instrument: str | None = None
    coverage: Fraction | None = None
    coverage_low: bool = False
    base: str | None = None  # the budget version and line the share is taken of

    @property
    def evaluable(self) -> bool:
        return self.value is not None and self.threshold is not None

    @property
    def rising(self) -> bool | None:
        """An indicator's direction: the value at or above the previous year's."""
        if self.value is None or self.threshold is None:
            return None
        return self.value >= self.threshold


@dataclass(frozen=True)
class Share:
    """A share num/den to compare with a threshold; `grows_denominator` when money added to
    the numerator is also added to the denominator (a share of a total being raised)."""

    num: int
    den: int
    grows_denominator: bool = False


def shortfall(share: Share, threshold: Fraction, strict: bool) -> int | None:
    """The least whole đồng x to add to the numerator so the share passes; 0 if it passes.

    Fixed denominator: (num + x)/den ≥ t  ⇔  x ≥ t·den − num.
    Growing denominator: (num + x)/(den + x) ≥ t  ⇔  x ≥ (t·den − num)/(1 − t), for t < 1.
    A strict comparison (>) needs one đồng more than the exact boundary when it is whole.
    None when no amount can make it pass (a growing share with a threshold of 100% or more).
    """
    gap = threshold * share.den - share.num
    if share.grows_denominator:
        if threshold >= 1:
            return None
        gap = gap / (1 - threshold)
    needed = floor(gap) + 1 if strict else ceil(gap)
    return max(needed, 0)


def passes(value: Fraction, threshold: Fraction, strict: bool) -> bool:
    return value > threshold if strict else value >= threshold


def compare(
    spec: RuleSpec,
    year: int,
    basis: str,
    share: Share | None,
    threshold: Fraction | None,
    *,
    reason: str | None = None,
    zero_reason: str | None = None,
    params: dict | None = None,
    extra: dict | None = None,
) -> RuleResult:
    """Evaluate a share against a threshold; a missing or zero denominator is reported.
    An indicator gets its value and reference but no verdict (ok None, shortfall 0)."""
    base: dict[str, Any] = dict(
        rule=spec.id,
        basis=basis,
        kind=spec.kind,
        fiscal_year=year,
        strict=spec.strict,
        legal_basis=spec.legal_basis,
        instrument=spec.instrument,
        **(extra or {}),
    )
    params = {"year": year, **(params or {})}
    if share is not None and share.den == 0 and reason is None:
        reason = zero_reason or N_("Not evaluable: the denominator is zero.")
    if share is None or share.den == 0 or threshold is None:
        return RuleResult(
            **base,
            value=None if share is None or share.den == 0 else Fraction(share.num, share.den),
            threshold=threshold,
            ok=None,
            shortfall_vnd=0 if spec.kind == "indicator" else None,
            numerator_vnd=share.num if share else None,
            denominator_vnd=share.den if share else None,
            reason=reason,
            params=params,
        )
    value = Fraction(share.num, share.den)
    ok: bool | None
    short: int | None
    if spec.kind == "indicator":
        ok, short = None, 0
    else:
        ok = passes(value, threshold, spec.strict)
        short = 0 if ok else shortfall(share, threshold, spec.strict)
    return RuleResult(
        **base,
        value=value,
        threshold=threshold,
        ok=ok,
        shortfall_vnd=short,
        numerator_vnd=share.num,
        denominator_vnd=share.den,
        params=params,
    )


ZERO_TOTAL = N_("Not evaluable: the total state budget of %(year)s is zero.")
NO_BUDGET = N_("Not evaluable: no state budget figures for fiscal year %(year)s.")


def _budget_share(measure: str):
    """A rule over each budget version present: the measure's line ÷ total expenditure."""

    def metric(spec: RuleSpec, year: YearFigures, context: "Context") -> list[RuleResult]:
        y = year.fiscal_year
        found = year.budgets()
        if not found:
            return [compare(spec, y, "planned", None, spec.threshold, reason=NO_BUDGET)]
        return [
            compare(
                spec,
                y,
                basis,
                Share(budget.line(measure), budget.total),
                spec.threshold,
                zero_reason=ZERO_TOTAL,
                extra={"base": f"{basis}:{measure}"},
            )
            for basis, budget in found
        ]

    metric.__doc__ = f"The {measure} line ÷ total state budget expenditure, per version."
    return metric


st_share = _budget_share("st")  # Law 29/2013/QH13 Art. 49(1)
stidx_share = _budget_share("stidx")  # Resolution 57-NQ/TW §III.3


def measure_in(specs: list[RuleSpec], fiscal_year: int) -> str:
    """The budget-share measure the law sets for a year: S&T/I/DX where Resolution 57's
    floor is in force, S&T alone where only the 2013 law's floor is."""
    metrics = {s.metric for s in specs if s.applies_to(fiscal_year) and s.kind == "floor"}
    if "stidx_share" in metrics or "st_share" not in metrics:
        return "stidx"
    return "st"


def share_rising(spec: RuleSpec, year: YearFigures, context: "Context") -> list[RuleResult]:
    """The year's share (the measure in force that year) against the previous year's share
    of the same measure, on each budget version both years have. Not listed when the
    previous year has no budget figures."""
    previous = context.previous
    if previous is None:
        return []
    measure = measure_in(context.specs, year.fiscal_year)
    results = []
    for basis, budget in year.budgets():
        before = previous.budget(basis)
        if before is None or before.total == 0:
            continue
        results.append(
            compare(
                spec,
                year.fiscal_year,
                basis,
                Share(budget.line(measure), budget.total),
                Fraction(before.line(measure), before.total),
                zero_reason=ZERO_TOTAL,
                extra={"base": f"{basis}:{measure}"},
            )
        )
    return results


def strategic_share(spec: RuleSpec, year: YearFigures, context: "Context") -> list[RuleResult]:
    """State-source strategic-technology amounts (groups on the list in force that year) ÷
    the base of the 15% rule (a setting: the state S&T budget or the S&T/I/DX line, of the
    most recent budget version present), on each ledger basis, with the ledger's coverage
    of that base beside it."""
    measure = context.settings.strategic_base
    latest = year.latest()
    results = []
    for basis in LEDGER_BASES:
        if latest is None:
            results.append(
                compare(spec, year.fiscal_year, basis, None, spec.threshold, reason=NO_BUDGET)
            )
            continue
        version, budget = latest
        den = budget.line(measure)
        figures = year.basis(basis)
        coverage = Fraction(figures.state_total, den) if den else None
        results.append(
            compare(
                spec,
                year.fiscal_year,
                basis,
                Share(figures.state_strategic, den),
                spec.threshold,
                zero_reason=N_("Not evaluable: the state S&T budget of %(year)s is zero."),
                extra={
                    "coverage": coverage,
                    "coverage_low": coverage is not None
                    and coverage < context.settings.coverage_warning_below,
                    "base": f"{version}:{measure}",
                },
            )
        )
    return results


@dataclass(frozen=True)
class Context:
    """What a metric may read besides its own year: the previous year, every rule (to know
    which measure the law sets that year) and the legal settings."""

    previous: YearFigures | None
    specs: list[RuleSpec]
    settings: Settings


METRICS = {
    "st_share": st_share,
    "stidx_share": stidx_share,
    "st_share_rising": share_rising,
    "strategic_share": strategic_share,
}


def evaluate_year(
    specs: list[RuleSpec],
    years: dict[int, YearFigures],
    fiscal_year: int,
    settings: Settings | None = None,
) -> list[RuleResult]:
    """Every rule in force in `fiscal_year`, in the order given, on each of its bases."""
    year = years.get(fiscal_year) or YearFigures(fiscal_year)
    previous = years.get(fiscal_year - 1)
    context = Context(
        previous if previous is not None and previous.has_budget else None,
        specs,
        settings or Settings(),
    )
    results = []
    for spec in specs:
        if spec.applies_to(fiscal_year) and spec.metric in METRICS:
            results.extend(METRICS[spec.metric](spec, year, context))
    return results


def round_places(value: Fraction, places: int, direction: str = "half_up") -> Fraction:
    """`value` at `places` decimals: half up, or down / up (toward −∞ / +∞)."""
    scale = 10**places
    if direction == "down":
        return Fraction(floor(value * scale), scale)
    if direction == "up":
        return Fraction(ceil(value * scale), scale)
    return Fraction(floor(value * scale + Fraction(1, 2)), scale)


def shown_value(
    value: Fraction | None,
    threshold: Fraction | None,
    ok: bool | None,
    places: int,
    strict: bool = False,
) -> Fraction | None:
    """A verdict's value rounded for display so that it never seems to contradict the
    verdict: a failing value is never shown at or above its threshold (0.02999997 against
    3% shows as 2.9999%, not 3%), and a passing one never below it."""
    if value is None:
        return None
    shown = round_places(value, places)
    if ok is None or threshold is None:
        return shown
    if ok is False and value < threshold and shown >= threshold:
        return round_places(value, places, "down")
    if ok and (shown < threshold or (strict and shown <= threshold)):
        return round_places(value, places, "up")
    return shown


def round6(value: Fraction | None) -> str | None:
    """A fraction rounded half-up to 6 decimal places, as text ("0.030000" → "0.03")."""
    if value is None:
        return None
    return decimal_text(round_places(value, 6))


def decimal_text(value: Fraction, places: int = 6) -> str:
    """A fraction with at most `places` decimals as text, trailing zeros dropped."""
    scaled = floor(value * 10**places + Fraction(1, 2))
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{part:0{places}d}".rstrip("0").rstrip(".")
