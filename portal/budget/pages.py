"""What the budget pages and reports show, assembled once from the domain's read models."""

import pandas as pd
from flask import render_template
from flask_babel import gettext as _

from funds.compliance import figures, tables
from funds.compliance.report import figures_hash
from funds.compliance.rules import BASES, round6
from portal.budget.labels import BASIS_LABELS, rule_label
from portal.i18n import format_money
from portal.reports.charts import share_chart, stacked_chart
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


def _threshold(ov: tables.Overview, rule: str) -> float | None:
    for y in reversed(ov.years):
        for r in ov.results[y]:
            if r.rule == rule and r.threshold is not None:
                return float(r.threshold)
    return None


def charts(ov: tables.Overview, locale: str) -> dict:
    """The SVG charts: each floor's value against its floor line, spending by area stacked."""
    floor = _("Floor")
    areas = {
        k: (a.name_for(locale) if (a := ov.areas.get(k)) else _("No strategic area"))
        for k in set(ov.totals["area_key"])
    }
    return {
        "stidx": share_chart(
            rule_label("st_share_of_state_budget"),
            ov.years,
            _series(ov, "st_share_of_state_budget", ["planned"]),
            _threshold(ov, "st_share_of_state_budget"),
            floor,
        ),
        "strategic": share_chart(
            rule_label("strategic_share_of_st_budget"),
            ov.years,
            _series(ov, "strategic_share_of_st_budget", BASES),
            _threshold(ov, "strategic_share_of_st_budget"),
            floor,
        ),
        "private": share_chart(
            rule_label("private_share_of_rd"),
            ov.years,
            _series(ov, "private_share_of_rd", BASES),
            _threshold(ov, "private_share_of_rd"),
            _("Target"),
        ),
        "areas": stacked_chart(
            _("Committed spending by strategic area"),
            ov.years,
            tables.area_series(ov, "committed"),
            areas,
            lambda v: format_money(int(v), locale),
        ),
    }


def drill_args(result) -> dict:
    """The ledger filter behind a rule's numerator (strategic state lines, etc.)."""
    if result.rule == "strategic_share_of_st_budget":
        return {"basis": result.basis, "source": "state", "strategic": 1}
    if result.rule == "private_share_of_rd":
        return {"basis": result.basis, "source": "nonstate"}
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
                [dict(rule=s.id, kind=s.kind, source=s.source) for s in figures.rule_specs(session)]
            ),
        }
    )
