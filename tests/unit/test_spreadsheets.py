"""Uploaded workbooks are measured before anything parses them: size, unpacked size, rows."""

import io
import zipfile

import pandas as pd
import pytest

from funds import spreadsheets
from funds.errors import SpreadsheetRefused
from funds.spreadsheets import XlsxLimits, check_xlsx
from tests.xlsx_bombs import declared_bomb, huge_cell_bomb, rows_bomb

COLUMNS = ["fund_code", "name"]
ROWS = "The spreadsheet has more than %(limit)s rows; split it or import it as CSV."
UNPACKED = "The spreadsheet unpacks to more than %(limit_mb)s MB; split it or import it as CSV."
UNREADABLE = "The file is not a readable XLSX workbook."


def refusal(data: bytes, limits: XlsxLimits = spreadsheets.LIMITS) -> str | None:
    try:
        check_xlsx(io.BytesIO(data), limits)
    except SpreadsheetRefused as exc:
        return exc.message
    return None


def genuine(rows: int) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"fund_code": [f"F{i}" for i in range(rows)], "name": ["Quỹ"] * rows}).to_excel(
        buffer, index=False
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    "bomb, message",
    [
        (lambda: declared_bomb(COLUMNS, 2_000_000), ROWS),
        (lambda: rows_bomb(COLUMNS, 2_000_000), UNPACKED),
        (lambda: rows_bomb(COLUMNS, 150_000), ROWS),
        (lambda: huge_cell_bomb(COLUMNS, 300), UNPACKED),
    ],
    ids=["two-million-rows-declared", "two-million-rows", "150k-rows", "300-MB-cell"],
)
def test_xlsx_bombs_are_refused_with_a_reason(bomb, message):
    assert refusal(bomb()) == message


@pytest.mark.parametrize(
    "data", [b"fund_code,name\nF1,Quy\n", b"", b"PK\x03\x04broken", b"\x00" * 4096]
)
def test_files_that_are_not_workbooks_are_refused(data):
    assert refusal(data) == UNREADABLE


def test_a_file_above_the_size_limit_is_refused_before_unzipping():
    assert "larger than" in refusal(genuine(50), XlsxLimits(max_bytes=1024))


def test_a_workbook_with_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(20):
            archive.writestr(f"x/{i}.xml", "<x/>")
    assert refusal(buffer.getvalue(), XlsxLimits(max_members=10)) == UNPACKED


def test_a_genuine_workbook_within_the_limits_passes_and_can_still_be_read():
    data = genuine(200)
    stream = io.BytesIO(data)
    check_xlsx(stream)
    assert stream.tell() == 0
    assert len(pd.read_excel(stream)) == 200


@pytest.mark.parametrize("chunk", [7, 13, 64, 2**20])
@pytest.mark.parametrize("data_rows", [0, 1, 99, 100])
def test_rows_are_counted_exactly_whatever_the_chunk_size(monkeypatch, chunk, data_rows):
    monkeypatch.setattr(spreadsheets, "_CHUNK", chunk)
    data = rows_bomb(COLUMNS, data_rows, batch=1)
    total = data_rows + 1  # the header row counts
    assert refusal(data, XlsxLimits(max_rows=total)) is None
    assert refusal(data, XlsxLimits(max_rows=total - 1)) == ROWS


def test_pandas_written_workbooks_are_counted_too():
    assert refusal(genuine(30), XlsxLimits(max_rows=31)) is None
    assert refusal(genuine(30), XlsxLimits(max_rows=30)) == ROWS
