"""Spreadsheet and CSV cells cannot start a formula (OWASP CSV injection)."""

from decimal import Decimal
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook

from funds.compliance.report import csv_text
from funds.exports import safe_cell, safe_frame, safe_row
from portal.reports.excel import workbook

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_could_start_a_formula_gets_a_leading_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Nghiên cứu chip",
        "",
        "1+1",
        "a=b",
        "'=already quoted",
        " =leading space",
        -5,
        0,
        3.5,
        -2.25,
        Decimal("-1.5"),
        None,
        True,
    ],
)
def test_plain_text_and_numbers_are_left_as_they_are(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_a_row_is_neutralised_cell_by_cell():
    assert safe_row(["=1", -7, "x", "-x"]) == ["'=1", -7, "x", "'-x"]


def test_a_frame_keeps_numeric_columns_numeric_and_quotes_text():
    frame = pd.DataFrame(
        {
            "title": ["=1+1", "ok"],
            "amount_vnd": [-5, 10],
            "mixed": ["@x", 3],
            "=evil header": [1, 2],
        }
    )
    safe = safe_frame(frame)
    assert safe["title"].tolist() == ["'=1+1", "ok"]
    assert safe["amount_vnd"].tolist() == [-5, 10]
    assert pd.api.types.is_integer_dtype(safe["amount_vnd"])
    assert safe["mixed"].tolist() == ["'@x", 3]
    assert "'=evil header" in safe.columns
    assert frame["title"].tolist() == ["=1+1", "ok"]  # the caller's frame is untouched


def test_workbook_cells_are_text_not_formulas_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "title": ['=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0"],
            "requested_vnd": [-5, 1_000_000_000],
        }
    )
    sheet = load_workbook(BytesIO(workbook({"submissions": frame}))).worksheets[0]
    for row in (2, 3):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.value.startswith("'=")
    assert sheet.cell(row=2, column=2).value == -5
    assert sheet.cell(row=2, column=2).data_type == "n"


def test_compliance_csv_quotes_a_reason_that_starts_like_a_formula():
    text = csv_text(
        [
            {
                "fiscal_year": 2026,
                "rules": [
                    {
                        "rule": "r",
                        "kind": "floor",
                        "basis": "planned",
                        "value": -0.5,
                        "threshold": 0.15,
                        "ok": False,
                        "shortfall_vnd": -3,
                        "reason": "=1+1",
                    }
                ],
            }
        ]
    )
    assert text.splitlines()[1] == "2026,r,floor,planned,-0.5,0.15,false,-3,,,'=1+1"
