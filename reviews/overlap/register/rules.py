"""Reading the national task register's CSV: pure, every row checked, errors listed by line.

The file is UTF-8 (a byte-order mark, as spreadsheet programs write it, is accepted), comma
or semicolon separated, with a header row naming the columns in English or Vietnamese:

    code (mã), title (tên), title_en (tên tiếng anh), summary (tóm tắt), keywords (từ khóa),
    host (tổ chức chủ trì), pi (chủ nhiệm), start_year (năm bắt đầu), end_year (năm kết thúc)

Only `code` and `title` are required. A row with an error is left out and named by its line
in the file (the header is line 1); the other rows are imported.
"""

import csv
import io
from dataclasses import dataclass, field

from funds.errors import N_
from funds.text import fold_text

MAX_BYTES = 20 * 2**20
MAX_ROWS = 100_000
LIMITS = {"code": 60, "title": 500, "title_en": 500, "summary": 20000, "keywords": 500,
          "host": 300, "pi_name": 200}  # fmt: skip

# header names as people write them, folded (funds.text.fold_text) → the column
HEADERS = {
    "code": "code", "ma": "code", "ma so": "code", "ma nhiem vu": "code",
    "title": "title", "ten": "title", "ten nhiem vu": "title",
    "title_en": "title_en", "title en": "title_en", "ten tieng anh": "title_en",
    "summary": "summary", "abstract": "summary", "tom tat": "summary",
    "keywords": "keywords", "tu khoa": "keywords",
    "host": "host", "to chuc chu tri": "host",
    "pi": "pi_name", "pi_name": "pi_name", "chu nhiem": "pi_name",
    "start_year": "start_year", "nam bat dau": "start_year",
    "end_year": "end_year", "nam ket thuc": "end_year",
}  # fmt: skip


@dataclass(frozen=True)
class RegisterRow:
    code: str
    title: str
    title_en: str = ""
    summary: str = ""
    keywords: str = ""
    host: str = ""
    pi_name: str = ""
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class LineError:
    """What is wrong on one line of the file (a msgid and its parameters)."""

    line: int
    message: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RegisterFile:
    rows: list[RegisterRow]
    errors: list[LineError]


def decode(data: bytes) -> str | None:
    """The file's text, or None if it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def columns(header: list[str]) -> dict[int, str]:
    """Which column of the file holds which field (unknown columns are ignored)."""
    found: dict[int, str] = {}
    for index, name in enumerate(header):
        key = HEADERS.get(" ".join(fold_text(name).replace("_", " ").split()))
        key = key or HEADERS.get(fold_text(name).strip())
        if key and key not in found.values():
            found[index] = key
    return found


def _year(text: str, line: int, name: str, errors: list[LineError]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit() and 1900 <= int(text) <= 2100:
        return int(text)
    errors.append(
        LineError(
            line, N_("%(column)s is not a year: %(value)s."), {"column": name, "value": text[:20]}
        )
    )
    return None


def parse_row(values: dict[str, str], line: int) -> tuple[RegisterRow | None, list[LineError]]:
    """One data row as a register task, or the reasons it cannot be one."""
    errors: list[LineError] = []
    text = {k: values.get(k, "").strip() for k in LIMITS}
    for key in ("code", "title"):
        if not text[key]:
            errors.append(LineError(line, N_("The %(column)s is missing."), {"column": key}))
    for key, limit in LIMITS.items():
        if len(text[key]) > limit:
            errors.append(
                LineError(
                    line,
                    N_("The %(column)s is longer than %(limit)s characters."),
                    {"column": key, "limit": limit},
                )
            )
    start = _year(values.get("start_year", ""), line, "start_year", errors)
    end = _year(values.get("end_year", ""), line, "end_year", errors)
    if start and end and end < start:
        errors.append(LineError(line, N_("The end year is before the start year.")))
    if errors:
        return None, errors
    return RegisterRow(**text, start_year=start, end_year=end), []


def parse_register(data: bytes) -> RegisterFile:
    """Every row of the register file, and the errors by line; a file that cannot be read
    at all gives one error on line 0 and no rows."""
    if len(data) > MAX_BYTES:
        return RegisterFile(
            [], [LineError(0, N_("The file is larger than %(mb)s MB."), {"mb": MAX_BYTES // 2**20})]
        )
    text = decode(data)
    if text is None:
        return RegisterFile(
            [], [LineError(0, N_("The file is not UTF-8 text; save it as CSV UTF-8."))]
        )
    lines = text.splitlines()
    if not lines:
        return RegisterFile([], [LineError(0, N_("The file is empty."))])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return RegisterFile([], [LineError(1, N_("The header row cannot be read."))])
    where = columns(header)
    if not {"code", "title"} <= set(where.values()):
        return RegisterFile(
            [], [LineError(1, N_("The header must name at least the columns code and title."))]
        )
    return _rows(reader, where)


def _rows(reader, where: dict[int, str]) -> RegisterFile:
    """The data rows; each error names the line its record starts on."""
    rows: list[RegisterRow] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                LineError(
                    line,
                    N_("The line cannot be read as CSV (%(reason)s)."),
                    {"reason": str(exc)[:100]},
                )
            )
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(
                LineError(
                    line, N_("More than %(limit)s rows: the rest is not read."), {"limit": MAX_ROWS}
                )
            )
            break
        row, problems = parse_row({k: record[i] for i, k in where.items() if i < len(record)}, line)
        if row is not None and row.code in seen:
            problems = [
                LineError(
                    line,
                    N_("The code %(code)s is already on line %(first)s."),
                    {"code": row.code, "first": seen[row.code]},
                )
            ]
            row = None
        if row is not None:
            seen[row.code] = line
            rows.append(row)
        errors += problems
    return RegisterFile(rows, errors)
