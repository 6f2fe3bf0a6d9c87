"""Pure evaluation of compliance rules on one year's figures: plain values in, results out.

Resolution 57-NQ/TW §III.3 (22/12/2024): at least 3% of total annual state budget
expenditure to science, technology, innovation and digital transformation, rising year by
year; Resolution 03/NQ-CP (2025) and 57-NQ/TW: at least 15% of the state S&T budget to
strategic-technology research. All arithmetic is exact (Fraction); rounding is display only.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil, floor
from typing import Any

from funds.errors import N_

BASES = ("planned", "committed", "disbursed")


@dataclass(frozen=True)
class BasisFigures:
    """Ledger sums of one year on one basis, in đồng."""

    state_strategic: int = 0
    state_total: int = 0
    nonstate_total: int = 0


@dataclass(frozen=True)
class YearFigures:
    """What the rules read for one fiscal year; budget lines are None when not recorded."""

    fiscal_year: int
    total_state_budget_vnd: int | None = None
    stidx_budget_vnd: int | None = None
    st_budget_vnd: int | None = None
    bases: dict[str, BasisFigures] = field(default_factory=dict)

    def basis(self, name: str) -> BasisFigures:
        return self.bases.get(name, BasisFigures())

    @property
    def has_budget(self) -> bool:
        return self.total_state_budget_vnd is not None

    def stidx_share(self) -> "Share":
        """S&T/I/DX appropriation over total expenditure; a year's three figures come together."""
        assert self.stidx_budget_vnd is not None
        assert self.total_state_budget_vnd is not None
        return Share(self.stidx_budget_vnd, self.total_state_budget_vnd)


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

    def applies_to(self, year: int) -> bool:
        """In effect in that fiscal year (both ends inclusive, open when None)."""
        return (self.effective_from is None or self.effective_from <= year) and (
            self.effective_to is None or year <= self.effective_to
        )


@dataclass(frozen=True)
class RuleResult:
    """One rule on one basis in one year. value/threshold/ok/shortfall are None when the
    rule cannot be evaluated; `reason` (a translatable message) then says why."""

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

    @property
    def evaluable(self) -> bool:
        return self.ok is not None


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
) -> RuleResult:
    """Evaluate a share against a threshold; a missing or zero denominator is reported."""
    base: dict[str, Any] = dict(rule=spec.id, basis=basis, kind=spec.kind, fiscal_year=year)
    params = {"year": year, **(params or {})}
    if share is not None and share.den == 0 and reason is None:
        reason = zero_reason or N_("Not evaluable: the denominator is zero.")
    if share is None or share.den == 0 or threshold is None:
        return RuleResult(
            **base,
            value=None,
            threshold=threshold,
            ok=None,
            shortfall_vnd=None,
            numerator_vnd=share.num if share else None,
            denominator_vnd=share.den if share else None,
            reason=reason,
            params=params,
        )
    value = Fraction(share.num, share.den)
    ok = passes(value, threshold, spec.strict)
    return RuleResult(
        **base,
        value=value,
        threshold=threshold,
        ok=ok,
        shortfall_vnd=0 if ok else shortfall(share, threshold, spec.strict),
        numerator_vnd=share.num,
        denominator_vnd=share.den,
    )


ZERO_TOTAL = N_("Not evaluable: the total state budget of %(year)s is zero.")
NO_BUDGET = N_("Not evaluable: no state budget figures for fiscal year %(year)s.")


def stidx_share(spec: RuleSpec, year: YearFigures, previous: YearFigures | None):
    """S&T/I/DX appropriation ÷ total state budget expenditure (planned basis)."""
    if not year.has_budget:
        return [compare(spec, year.fiscal_year, "planned", None, spec.threshold, reason=NO_BUDGET)]
    share = year.stidx_share()
    return [
        compare(spec, year.fiscal_year, "planned", share, spec.threshold, zero_reason=ZERO_TOTAL)
    ]


def stidx_share_rising(spec: RuleSpec, year: YearFigures, previous: YearFigures | None):
    """That share in year Y ≥ its value in Y−1; not evaluated where Y−1 is missing."""
    y = year.fiscal_year
    if not year.has_budget:
        return [compare(spec, y, "planned", None, None, reason=NO_BUDGET)]
    share = year.stidx_share()
    if previous is None or not previous.has_budget:
        return [
            compare(
                spec,
                y,
                "planned",
                share,
                None,
                params={"year": y - 1},
                reason=N_(
                    "Not evaluated: fiscal year %(year)s has no budget figures to compare with."
                ),
            )
        ]
    if previous.total_state_budget_vnd == 0:
        return [compare(spec, y, "planned", share, None, params={"year": y - 1}, reason=ZERO_TOTAL)]
    earlier = previous.stidx_share()
    before = Fraction(earlier.num, earlier.den)
    return [compare(spec, y, "planned", share, before, zero_reason=ZERO_TOTAL)]


def strategic_share(spec: RuleSpec, year: YearFigures, previous: YearFigures | None):
    """State-source strategic-technology amounts ÷ the state S&T budget, on each basis."""
    results = []
    for basis in BASES:
        if year.st_budget_vnd is None:
            results.append(
                compare(spec, year.fiscal_year, basis, None, spec.threshold, reason=NO_BUDGET)
            )
            continue
        share = Share(year.basis(basis).state_strategic, year.st_budget_vnd)
        results.append(
            compare(
                spec,
                year.fiscal_year,
                basis,
                share,
                spec.threshold,
                zero_reason=N_("Not evaluable: the state S&T budget of %(year)s is zero."),
            )
        )
    return results


def private_share(spec: RuleSpec, year: YearFigures, previous: YearFigures | None):
    """Non-state ÷ total R&D spending in the ledger (state + non-state), on each basis."""
    results = []
    for basis in BASES:
        b = year.basis(basis)
        share = Share(b.nonstate_total, b.state_total + b.nonstate_total, grows_denominator=True)
        results.append(
            compare(
                spec,
                year.fiscal_year,
                basis,
                share,
                spec.threshold,
                zero_reason=N_(
                    "Not evaluable: no R&D spending is recorded for %(year)s on this basis."
                ),
            )
        )
    return results


def st_share(spec: RuleSpec, year: YearFigures, previous: YearFigures | None):
    """The state S&T appropriation ÷ total state budget expenditure (Law 29/2013 Art. 49)."""
    if not year.has_budget:
        return [compare(spec, year.fiscal_year, "planned", None, spec.threshold, reason=NO_BUDGET)]
    assert year.st_budget_vnd is not None and year.total_state_budget_vnd is not None
    share = Share(year.st_budget_vnd, year.total_state_budget_vnd)
    return [
        compare(spec, year.fiscal_year, "planned", share, spec.threshold, zero_reason=ZERO_TOTAL)
    ]


METRICS = {
    "st_share": st_share,
    "stidx_share": stidx_share,
    "stidx_share_rising": stidx_share_rising,
    "st_share_rising": stidx_share_rising,
    "strategic_share": strategic_share,
    "private_share": private_share,
}


def evaluate_year(
    specs: list[RuleSpec], years: dict[int, YearFigures], fiscal_year: int
) -> list[RuleResult]:
    """Every rule in effect in `fiscal_year`, in the order given, on each of its bases."""
    year = years.get(fiscal_year) or YearFigures(fiscal_year)
    previous = years.get(fiscal_year - 1)
    results = []
    for spec in specs:
        if spec.applies_to(fiscal_year):
            results.extend(METRICS[spec.metric](spec, year, previous))
    return results


def round6(value: Fraction | None) -> str | None:
    """A fraction rounded half-up to 6 decimal places, as text ("0.030000" → "0.03")."""
    if value is None:
        return None
    scaled = floor(value * 10**6 + Fraction(1, 2))
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**6)
    text = f"{sign}{whole}.{part:06d}".rstrip("0").rstrip(".")
    return text
