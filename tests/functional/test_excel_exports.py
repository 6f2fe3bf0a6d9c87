"""Excel exports for people (issue 16 §5): sheet names and column headers in the user's
language, never snake_case; instants in Asia/Ho_Chi_Minh (GMT+7), never UTC."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from funds.clock import to_local
from funds.proposals.models import Submission
from tests.budget_data import write_files

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _sheets(data: bytes) -> dict[str, list]:
    book = load_workbook(BytesIO(data))
    return {ws.title: [c.value for c in ws[1]] for ws in book.worksheets}


@pytest.fixture
def exports(client, make, session, runner, tmp_path):
    """A submitted proposal and the budget figures imported: the three workbooks' URLs."""
    assert runner.invoke(args=["import-budget", *map(str, write_files(tmp_path))]).exit_code == 0
    call = make.call()
    make.proposal(call=call, title="Vi mạch lượng tử", submit=True)
    session.commit()
    return [
        f"/calls/{call.id}/submissions.xlsx",
        "/budget/report.xlsx",
        "/projects/indicators?format=xlsx",
    ]


VI = {"Mã hồ sơ", "Số biên nhận", "Năm tài khóa", "Chỉ tiêu theo dõi", "Thời điểm nộp (GMT+7)"}


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("vi", VI),
        ("en", {"Proposal no.", "Receipt number", "Fiscal year", "Submitted at (GMT+7)"}),
    ],
)
def test_every_header_is_translated_never_snake_case(client, make, exports, lang, expected):
    client.login(make.manager().email)
    client.use_language(lang)
    seen = set()
    for url in exports:
        response = client.get(url)
        assert response.data[:2] == b"PK", url
        for sheet, headers in _sheets(response.data).items():
            assert not SNAKE.match(sheet), sheet
            snake = [h for h in headers if isinstance(h, str) and SNAKE.match(h)]
            assert snake == [], f"{url} {sheet}: {snake}"
            seen |= set(headers)
    assert expected <= seen


def test_submission_times_are_local_gmt7(client, make, session, exports):
    client.login(make.manager().email)
    client.use_language("vi")
    submitted = session.exec(select(Submission)).one().submitted_at
    book = load_workbook(BytesIO(client.get(exports[0]).data))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Thời điểm nộp (GMT+7)")
    cell = sheet.cell(row=2, column=column + 1).value
    local = to_local(submitted).replace(tzinfo=None, microsecond=0)
    assert cell.replace(microsecond=0) == local  # +07:00, not UTC
    assert to_local(submitted).utcoffset() == timedelta(hours=7)
