"""What the budget pages and reports show, assembled once from the domain's read models."""

import pandas as pd
from flask import render_template
from flask_babel import gettext as _

from funds.compliance import figures, tables
from funds.compliance.report import figures_hash
from funds.compliance.rules import BASES, round6
from portal.budget.labels import BASIS_LABELS, rule_label
from portal.i18n import format_money
from portal.reports.charts import compact_money, share_chart, stacked_chart
from portal.reports.excel import workbook


def _series(ov: tables.Overview, rule: str, bases) -> dict[str, dict[int, float]]:
    series = {}
    for basis in bases:
        points = {}
        for y in ov.years:
            for r in ov.results[y]:
                if r.rule == rule and r.basis == basis and r.value is not None:
                    points[y] = float(r.value)
        series[str(BASIS_LABELS[basis])] = points
    return series


def _floors(ov: tables.Overview, rules: tuple[str, ...]) -> dict[int, float]:
    """The floor in force each year among `rules` (the law changed between years)."""
    found: dict[int, float] = {}
    for y in ov.years:
        for r in ov.results[y]:
            if r.rule in rules and r.kind == "floor" and r.threshold is not None:
                found[y] = float(r.threshold)
    return found


BUDGET_SHARES = ("st_share_of_state_budget_2013", "st_share_of_state_budget")


def charts(ov: tables.Overview, locale: str) -> dict:
    """The SVG charts: each floor's value against the floor in force each year, spending
    by area stacked."""
    floor = _("Floor")
    areas = {
        k: (a.name_for(locale) if (a := ov.areas.get(k)) else _("No strategic area"))
        for k in set(ov.totals["area_key"])
    }
    budget_series = {
        rule_label(rule): _series(ov, rule, ["planned"])[str(BASIS_LABELS["planned"])]
        for rule in BUDGET_SHARES
    }
    return {
        "stidx": share_chart(
            _("Share of the state budget (the floor in force each year)"),
            ov.years,
            budget_series,
            _floors(ov, BUDGET_SHARES),
            floor,
            ident="chart-stidx",
        ),
        "strategic": share_chart(
            rule_label("strategic_share_of_st_budget"),
            ov.years,
            _series(ov, "strategic_share_of_st_budget", BASES),
            _floors(ov, ("strategic_share_of_st_budget",)),
            floor,
            ident="chart-strategic",
        ),
        "areas": stacked_chart(
            _("Committed spending by strategic area"),
            ov.years,
            tables.area_series(ov, "committed"),
            areas,
            lambda v: format_money(int(v), locale),
            ident="chart-areas",
            axis=lambda v: compact_money(v, locale),
        ),
    }


def drill_args(result) -> dict:
    """The ledger filter behind a rule's numerator (strategic state lines, etc.)."""
    if result.rule == "strategic_share_of_st_budget":
        return {"basis": result.basis, "source": "state", "strategic": 1}
    return {"basis": result.basis}


def context(session, year: int | None, locale: str) -> dict:
    """Everything dashboard.html and report_pdf.html need."""
    ov = tables.overview(session)
    year = year if year in ov.years else (ov.years[-1] if ov.years else None)
    reports = ov.reports()
    return dict(
        ov=ov,
        year=year,
        years=ov.years,
        reports=reports,
        results=ov.results.get(year, []),
        years_table=tables.years_table(ov),
        funds_table=tables.funds_table(ov, year) if year else [],
        areas_table=tables.areas_table(ov, year) if year else [],
        charts=charts(ov, locale),
        specs=figures.rule_specs(session),
        stamp=figures.data_timestamp(session),
        digest=figures_hash(reports),
        rule_label=rule_label,
        drill_args=drill_args,
        basis_label=lambda b: str(BASIS_LABELS.get(b, b)),
    )


def pdf_html(session, locale: str) -> str:
    return render_template("budget/report_pdf.html", **context(session, None, locale))


def _decimal(value) -> float | None:
    return None if value is None else float(round6(value))


def excel_bytes(session) -> bytes:
    """One sheet per table: rules, years, and funds and areas of every year."""
    ov = tables.overview(session)
    funds = [
        {"fiscal_year": y, **row, "strategic_share": _decimal(row["strategic_share"])}
        for y in ov.years
        for row in tables.funds_table(ov, y)
    ]
    areas = [dict(fiscal_year=y, **row) for y in ov.years for row in tables.areas_table(ov, y)]
    return workbook(
        {
            "Rules": tables.rules_frame(ov),
            "Years": pd.DataFrame(tables.years_table(ov)),
            "Funds": pd.DataFrame(funds),
            "Areas": pd.DataFrame(areas),
            "Sources": pd.DataFrame(
                [
                    dict(
                        rule=s.id,
                        kind=s.kind,
                        legal_basis=s.legal_basis,
                        instrument=s.instrument,
                        effective_from=s.effective_from,
                        effective_to=s.effective_to,
                        source=s.source,
                    )
                    for s in figures.rule_specs(session)
                ]
            ),
        }
    )
