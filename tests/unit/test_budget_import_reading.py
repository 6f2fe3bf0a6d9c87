"""Reading budget files: the per-distinct-value checks say what the row-by-row ones said."""

import re

import pandas as pd
import pytest

from funds.compliance.importing import ImportFile, chunks, integer_column, mapped

VALUES = [
    "12",
    "0",
    "123456789012345678",
    "1234567890123456789",  # 19 digits: too long
    "",
    "1.5",
    "-5",
    "+5",
    "1e3",
    "12 000",
    "١٢",  # Arabic-Indic digits: \d matches them
    "²",  # a superscript: a digit to str.isdigit, not to \d
    "12",  # repeated values are computed once, answered for every row
]


def test_amounts_are_accepted_as_the_regular_expression_did_and_read_exactly():
    parsed, bad = integer_column(pd.Series(VALUES, dtype="str"), excel=False)
    assert bad.tolist() == [not re.fullmatch(r"\d{1,18}", v) for v in VALUES]
    assert parsed.tolist() == [12, 0, 123456789012345678, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12]


def test_national_figures_beyond_float_precision_are_read_to_the_dong():
    """Above 2**53 a float cannot hold every whole number; a state budget can be there."""
    parsed, bad = integer_column(pd.Series(["9007199254740993"], dtype="str"), excel=False)
    assert parsed.tolist() == [9007199254740993]
    assert bad.tolist() == [False]


def test_excel_whole_numbers_lose_their_trailing_zero_decimals():
    parsed, bad = integer_column(pd.Series(["12.0", "12.5", "7"], dtype="str"), excel=True)
    assert parsed.tolist() == [12, 0, 7]
    assert bad.tolist() == [False, True, False]


@pytest.mark.parametrize("method", ["strip", "upper", "lower"])
def test_text_is_normalised_as_pandas_string_methods_do(method):
    values = pd.Series([" ai ", "Đề tài\t", "\u00a0x\u3000", "", "ai", " ai "], dtype="str")
    expected = getattr(values.str, method)()
    assert mapped(values, getattr(str, method)).tolist() == expected.tolist()


def test_chunks_number_rows_as_a_spreadsheet_and_strip_every_cell(monkeypatch):
    monkeypatch.setattr("funds.compliance.importing.CHUNK_ROWS", 2)
    text = "fund_code , name\n a ,Quỹ A \nb,  B\n c,C\n"
    found = [
        (row, frame.to_dict("list"))
        for row, frame in chunks(ImportFile("f.csv", data=text.encode()))
    ]
    assert found == [
        (2, {"fund_code": ["a", "b"], "name": ["Quỹ A", "B"]}),
        (4, {"fund_code": ["c"], "name": ["C"]}),
    ]
    assert re.fullmatch(r"\d", "١")  # the premise of the table above


def test_ascii_and_other_scripts_are_read_alike():
    """The C-speed reading of an all-ASCII column and the per-value one agree."""
    ascii_only = ["12", "", "1.5", "0012", "1\x002", "9" * 18, "9" * 19, " 7", "7 "]
    fast, _ = integer_column(pd.Series(ascii_only, dtype="str"), excel=False)
    slow, _ = integer_column(pd.Series([*ascii_only, "١"], dtype="str"), excel=False)
    assert fast.tolist() == slow.tolist()[:-1] == [12, 0, 0, 12, 0, int("9" * 18), 0, 0, 0]
