"""The budget dashboard fits a 1280 px screen and its charts read (issue 16 §5): each SVG scales
to its container (a viewBox, width 100%, no fixed width), amounts on the axis in tỷ đồng with
enough room, a visible title and the data as a table; indicator trends say "no data" where
the denominator is empty."""

import re
from fractions import Fraction

import pytest

from funds.projects.indicators import SPECS, Indicator
from portal.reports.charts import compact_money, indicator_chart, stacked_chart
from tests.budget_data import write_files


@pytest.mark.parametrize(
    "amount, locale, text",
    [
        (16_700_000_000_000, "vi", "16.700 tỷ"),
        (16_700_000_000_000, "en", "16,700 bn"),
        (500_000_000, "vi", "0,5 tỷ"),
        (2_500_000_000, "en", "2.5 bn"),
        (0, "vi", "0 tỷ"),
    ],
)
def test_axis_amounts_are_compact_billions(amount, locale, text):
    assert compact_money(amount, locale) == text


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg\b[^>]*>", page)


def test_a_trillion_reads_as_billions_on_the_axis_with_the_exact_figures_in_a_table(app):
    with app.test_request_context():
        chart = str(
            stacked_chart(
                "Chi theo lĩnh vực",
                [2025, 2026],
                {"a": {2025: 16_700_000_000_000, 2026: 9_000_000_000_000}},
                {"a": "Vi mạch"},
                lambda v: f"{int(v):,} ₫",
                ident="chart-areas",
                axis=lambda v: compact_money(v, "vi"),
            )
        )
    ticks = re.findall(r'text-anchor="end">([^<]+)<', chart)
    assert ticks
    assert all(t.endswith(" tỷ") for t in ticks)
    assert "650.000.000" not in chart
    assert "<figcaption>Chi theo lĩnh vực</figcaption>" in chart
    assert 'aria-describedby="chart-areas-data"' in chart
    assert 'id="chart-areas-data"' in chart
    assert "16,700,000,000,000 ₫" in chart  # the exact figure, in the data table


def test_the_dashboard_charts_scale_to_their_container(client, make, runner, tmp_path):
    assert runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))]).exit_code == 0
    client.login(make.manager().email)
    page = client.get("/budget/?year=2026").get_data(as_text=True)
    svgs = _svgs(page)
    assert len(svgs) == 3
    for svg in svgs:
        assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
        assert re.findall(r'\bwidth="([^"]+)"', svg) == ["100%"]  # no fixed pixel width
        assert "height=" not in svg
    assert page.count("<figcaption>") == 3
    assert page.count('class="chart-data"') == 3  # each chart's data as a table
    ticks = re.findall(r'text-anchor="end">([^<]+)<', page[page.index('id="chart-areas"') :])
    assert ticks
    assert all(t.endswith(" tỷ") for t in ticks[:3])
    assert 'class="table-frame"><table class="years"' in page  # wide tables scroll in a frame
    assert "charts.css" in page


def _indicator(ident, numerator, denominator, value):
    spec = SPECS[ident]
    return Indicator(spec, numerator, denominator, value)


def test_indicator_trends_say_no_data_where_the_denominator_is_empty(app):
    history = {
        2024: [_indicator("compliant_failure_rate", 0, 0, None)],
        2025: [_indicator("compliant_failure_rate", 1, 1, Fraction(1))],
    }
    with app.test_request_context(headers={"Accept-Language": "en"}):
        chart = str(indicator_chart(history)["compliant_failure_rate"])
    assert "no data" in chart
    assert "2024: no data" in chart
    assert chart.count("<rect") == 1  # a bar only for the year with closeouts
    assert re.search(r'viewBox="0 0 \d+ \d+"', chart)
