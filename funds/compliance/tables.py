"""The dashboard's and reports' tables, built from the totals with pandas (read model)."""

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd
from sqlmodel import Session, select

from funds.compliance import figures
from funds.compliance.report import result_dict
from funds.compliance.rules import BASES, RuleResult, evaluate_year
from funds.portfolio.models import NO_AREA
from funds.taxonomy.models import StrategicTechnology

TOTAL_COLUMNS = [
    "fiscal_year",
    "basis",
    "source",
    "fund_id",
    "area_key",
    "amount_vnd",
    "line_count",
]


@dataclass
class Overview:
    """Everything the dashboard and the reports show, computed once."""

    years: list[int]
    results: dict[int, list[RuleResult]]
    totals: pd.DataFrame
    budgets: dict
    funds: dict
    allocations: dict
    areas: dict[str, StrategicTechnology]

    def reports(self) -> list[dict]:
        """The machine-readable report of every year (the JSON the API gives)."""
        return [
            {"fiscal_year": y, "rules": [result_dict(r) for r in self.results[y]]}
            for y in self.years
        ]


def overview(session: Session) -> Overview:
    years = figures.year_figures(session)
    specs = figures.rule_specs(session)
    settings = figures.rule_settings(session)
    totals = pd.DataFrame(figures.totals_frame_rows(session), columns=TOTAL_COLUMNS)
    totals["amount_vnd"] = totals["amount_vnd"].astype("int64")
    areas = {a.code: a for a in session.exec(select(StrategicTechnology)).all()}
    return Overview(
        sorted(years),
        {y: evaluate_year(specs, years, y, settings) for y in years},
        totals,
        years,
        figures.funds_by_id(session),
        figures.allocations(session),
        areas,
    )


def _sums(ov: Overview, keys: list[str]) -> dict[tuple, int]:
    """{key tuple: amount} of the totals grouped once by `keys` (strategic: the area is on
    the strategic list in force for the line's fiscal year)."""
    listed = [
        key != NO_AREA and (a := ov.areas.get(key)) is not None and a.on_list_in(int(year))
        for key, year in zip(ov.totals["area_key"], ov.totals["fiscal_year"], strict=True)
    ]
    t = ov.totals.assign(strategic=pd.Series(listed, index=ov.totals.index, dtype=bool))
    if t.empty:
        return {}
    grouped = t.groupby(keys, sort=False)["amount_vnd"].sum()
    return {k: int(v) for k, v in grouped.items()}


def _per_basis(sums: dict[tuple, int], prefix: tuple) -> dict[str, int]:
    """state / strategic state / non-state amounts per basis under one key prefix."""
    row = {}
    for b in BASES:
        strategic = sums.get((*prefix, b, "state", True), 0)
        row[f"{b}_state_vnd"] = strategic + sums.get((*prefix, b, "state", False), 0)
        row[f"{b}_strategic_state_vnd"] = strategic
        row[f"{b}_nonstate_vnd"] = sums.get((*prefix, b, "nonstate", True), 0) + sums.get(
            (*prefix, b, "nonstate", False), 0
        )
    return row


def years_table(ov: Overview) -> list[dict]:
    """Per year: the budget lines and ledger sums per basis (state, strategic state, non-state)."""
    sums = _sums(ov, ["fiscal_year", "basis", "source", "strategic"])
    rows = []
    for y in ov.years:
        fy = ov.budgets[y]
        rows.append(
            {
                "fiscal_year": y,
                "total_state_budget_vnd": fy.total_state_budget_vnd,
                "stidx_budget_vnd": fy.stidx_budget_vnd,
                "st_budget_vnd": fy.st_budget_vnd,
                **{
                    f"{version}_{line}_vnd": getattr(fy.estimates.get(version), line, None)
                    for version in ("revised", "final")
                    for line in ("total", "stidx", "st")
                },
                **_per_basis(sums, (y,)),
            }
        )
    return rows


def funds_table(ov: Overview, year: int) -> list[dict]:
    """Per fund in one year: allocation, and per basis state / strategic state / non-state;
    `strategic_share` is committed strategic state money ÷ the allocation."""
    sums = _sums(ov, ["fiscal_year", "fund_id", "basis", "source", "strategic"])
    rows = []
    for fund_id, fund in ov.funds.items():
        allocation = ov.allocations.get((fund_id, year))
        amounts = _per_basis(sums, (year, fund_id))
        if allocation is None and not any(amounts.values()):
            continue
        share = (
            Fraction(amounts["committed_strategic_state_vnd"], allocation) if allocation else None
        )
        rows.append(
            {
                "fund_id": fund_id,
                "fund_code": fund.code,
                "fund_name": fund.name,
                "allocation_vnd": allocation,
                **amounts,
                "strategic_share": share,
            }
        )
    return rows


def areas_table(ov: Overview, year: int) -> list[dict]:
    """Per strategic area (and "none") in one year: amount per basis and source."""
    sums = _sums(ov, ["fiscal_year", "area_key", "basis", "source"])
    keys = sorted({k[1] for k in sums if k[0] == year})
    return [
        {
            "area_code": key or None,
            **{
                f"{b}_{s}_vnd": sums.get((year, key, b, s), 0)
                for b in BASES
                for s in ("state", "nonstate")
            },
        }
        for key in keys
    ]


def area_series(ov: Overview, basis: str = "committed") -> dict[str, dict[int, int]]:
    """{area (or ""): {year: amount}} on one basis, all sources: the stacked chart's data."""
    t = ov.totals[ov.totals["basis"] == basis]
    series: dict[str, dict[int, int]] = {}
    for (area, year), amount in t.groupby(["area_key", "fiscal_year"])["amount_vnd"].sum().items():
        series.setdefault(area, {})[int(year)] = int(amount)
    return series


def rules_frame(ov: Overview) -> pd.DataFrame:
    """Every evaluation of every year, one row each (the Excel "Rules" sheet)."""
    rows = [dict(fiscal_year=r["fiscal_year"], **rule) for r in ov.reports() for rule in r["rules"]]
    return pd.DataFrame(
        rows,
        columns=[
            "fiscal_year",
            "rule",
            "kind",
            "basis",
            "value",
            "threshold",
            "ok",
            "shortfall_vnd",
            "legal_basis",
            "instrument",
            "base",
            "coverage",
            "coverage_warning",
            "reason",
        ],
    )
