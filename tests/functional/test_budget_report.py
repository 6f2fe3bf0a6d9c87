"""The compliance report from imported data matches a hand-computed expectation, and the
dashboard, API, PDF and Excel show the same figures."""

import json
from io import BytesIO

import pandas as pd
import pytest
from pypdf import PdfReader

from portal.i18n import format_money, format_percent
from tests.budget_data import EXPECTED, write_files


@pytest.fixture
def imported(runner, tmp_path):
    result = runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_the_json_report_matches_the_hand_computed_expectation(runner, imported, year):
    result = runner.invoke(args=["compliance", "--year", str(year), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED[year]


def test_the_csv_report_has_the_same_rows(runner, imported):
    result = runner.invoke(args=["compliance", "--year", "2026", "--format", "csv"])
    lines = result.output.splitlines()
    assert lines[0] == (
        "fiscal_year,rule,kind,basis,value,threshold,ok,shortfall_vnd,legal_basis,coverage,reason"
    )
    assert (
        "2026,strategic_share_of_st_budget,floor,committed,0.133333,0.15,false,500,"
        "Resolution 57-NQ/TW §III.3,0.266667," in lines
    )
    assert len(lines) == 1 + len(EXPECTED[2026]["rules"])


def test_the_api_gives_managers_the_same_json_and_refuses_others(client, make, imported):
    assert client.get("/api/v1/compliance/2026").status_code == 403
    applicant = make.user("applicant")
    client.login(applicant.email)
    assert client.get("/api/v1/compliance/2026").status_code == 403
    client.logout()
    client.login(make.manager().email)
    assert client.get("/api/v1/compliance/2026").get_json() == EXPECTED[2026]


def shown(rule: dict) -> list[str]:
    """How a rule's figures appear in Vietnamese on the page and in the PDF."""
    texts = []
    if rule["value"] is not None:
        texts.append(format_percent(rule["value"], 4, "vi"))
    if rule["shortfall_vnd"]:
        texts.append(format_money(rule["shortfall_vnd"], "vi"))
    return texts


def test_the_dashboard_pdf_and_excel_show_the_json_figures(client, make, imported):
    client.login(make.manager().email)
    client.post_form("/language", {"lang": "vi"})
    page = client.get("/budget/?year=2026").get_data(as_text=True)
    pdf = client.get("/budget/report.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    for rule in EXPECTED[2026]["rules"]:
        for figure in shown(rule):
            assert figure in page, figure
            assert figure in text, figure
    client.post_form("/language", {"lang": "en"})  # the workbook is headed in English
    sheets = pd.read_excel(BytesIO(client.get("/budget/report.xlsx").data), sheet_name=None)
    rules = sheets["Rules"]
    got = rules[rules["Fiscal year"] == 2026]
    assert got["Shortfall (đồng)"].fillna(-1).astype(int).tolist() == [
        -1 if r["shortfall_vnd"] is None else r["shortfall_vnd"] for r in EXPECTED[2026]["rules"]
    ]
    assert [None if pd.isna(v) else v for v in got["Value"]] == [
        r["value"] for r in EXPECTED[2026]["rules"]
    ]
    assert {"Rules", "Years", "Funds", "Strategic areas", "Sources"} <= set(sheets)


def test_the_pdf_footer_carries_the_figures_hash_that_changes_with_the_figures(
    client, make, imported, runner, tmp_path
):
    client.login(make.manager().email)
    first = client.get("/budget/").get_data(as_text=True)
    (tmp_path / "more.csv").write_text(
        "fiscal_year,total_state_budget_vnd,stidx_budget_vnd,st_budget_vnd\n2027,100,10,5\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import-budget", str(tmp_path / "more.csv")]).exit_code == 0
    second = client.get("/budget/").get_data(as_text=True)

    def digest(html):
        return html.split('data-digest="')[1][:64]

    assert digest(first) != digest(second)
