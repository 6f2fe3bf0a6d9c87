"""The dashboard's and reports' tables, built from the totals with pandas (read model)."""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from funds.compliance import figures
from funds.compliance.report import result_dict
from funds.compliance.rules import BASES, RuleResult, evaluate_year
from funds.models.portfolio import NO_AREA
from funds.models.taxonomy import StrategicTechnology

TOTAL_COLUMNS = ["fiscal_year", "basis", "source", "fund_id", "area_key", "amount_vnd",
                 "line_count"]


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
        return [{"fiscal_year": y, "rules": [result_dict(r) for r in self.results[y]]}
                for y in self.years]


def overview(session: Session) -> Overview:
    years = figures.year_figures(session)
    specs = figures.rule_specs(session)
    totals = pd.DataFrame(figures.totals_frame_rows(session), columns=TOTAL_COLUMNS)
    totals["amount_vnd"] = totals["amount_vnd"].astype("int64")
    areas = {a.code: a for a in session.exec(select(StrategicTechnology)).all()}
    return Overview(sorted(years), {y: evaluate_year(specs, years, y) for y in years}, totals,
                    years, figures.funds_by_id(session), figures.allocations(session), areas)


def years_table(ov: Overview) -> list[dict]:
    """Per year: the budget lines and ledger sums per basis (state, strategic state, non-state)."""
    t = ov.totals.assign(strategic=ov.totals["area_key"] != NO_AREA)
    rows = []
    for y in ov.years:
        fy, part = ov.budgets[y], t[t["fiscal_year"] == y]
        row = {"fiscal_year": y, "total_state_budget_vnd": fy.total_state_budget_vnd,
               "stidx_budget_vnd": fy.stidx_budget_vnd, "st_budget_vnd": fy.st_budget_vnd}
        for b in BASES:
            pb = part[part["basis"] == b]
            row[f"{b}_state_vnd"] = int(pb.loc[pb["source"] == "state", "amount_vnd"].sum())
            row[f"{b}_strategic_state_vnd"] = int(
                pb.loc[(pb["source"] == "state") & pb["strategic"], "amount_vnd"].sum())
            row[f"{b}_nonstate_vnd"] = int(pb.loc[pb["source"] == "nonstate", "amount_vnd"].sum())
        rows.append(row)
    return rows


def funds_table(ov: Overview, year: int) -> list[dict]:
    """Per fund in one year: allocation, and per basis state / strategic state / non-state."""
    t = ov.totals[ov.totals["fiscal_year"] == year]
    rows = []
    for fund_id, fund in ov.funds.items():
        part = t[t["fund_id"] == fund_id]
        row = {"fund_id": fund_id, "fund_code": fund.code, "fund_name": fund.name,
               "allocation_vnd": ov.allocations.get((fund_id, year))}
        for b in BASES:
            pb = part[part["basis"] == b]
            row[f"{b}_state_vnd"] = int(pb.loc[pb["source"] == "state", "amount_vnd"].sum())
            row[f"{b}_strategic_state_vnd"] = int(pb.loc[
                (pb["source"] == "state") & (pb["area_key"] != NO_AREA), "amount_vnd"].sum())
            row[f"{b}_nonstate_vnd"] = int(pb.loc[pb["source"] == "nonstate", "amount_vnd"].sum())
        if row["allocation_vnd"] is not None or any(v for k, v in row.items() if k.endswith(
                "_vnd") and k != "allocation_vnd"):
            rows.append(row)
    return rows


def areas_table(ov: Overview, year: int) -> list[dict]:
    """Per strategic area (and "none") in one year: amount per basis and source."""
    t = ov.totals[ov.totals["fiscal_year"] == year]
    rows = []
    for key in sorted(set(t["area_key"])):
        part = t[t["area_key"] == key]
        row = {"area_code": key or None}
        for b in BASES:
            for s in ("state", "nonstate"):
                row[f"{b}_{s}_vnd"] = int(part.loc[(part["basis"] == b)
                                                   & (part["source"] == s), "amount_vnd"].sum())
        rows.append(row)
    return rows


def area_series(ov: Overview, basis: str = "committed") -> dict[str, dict[int, int]]:
    """{area (or ""): {year: amount}} on one basis, all sources: the stacked chart's data."""
    t = ov.totals[ov.totals["basis"] == basis]
    series: dict[str, dict[int, int]] = {}
    for (area, year), amount in t.groupby(["area_key", "fiscal_year"])["amount_vnd"].sum().items():
        series.setdefault(area, {})[int(year)] = int(amount)
    return series


def rules_frame(ov: Overview) -> pd.DataFrame:
    """Every evaluation of every year, one row each (the Excel "Rules" sheet)."""
    rows = [dict(fiscal_year=r["fiscal_year"], **rule) for r in ov.reports()
            for rule in r["rules"]]
    return pd.DataFrame(rows, columns=["fiscal_year", "rule", "kind", "basis", "value",
                                       "threshold", "ok", "shortfall_vnd", "reason"])
