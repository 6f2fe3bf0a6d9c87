"""Reading and validating budget import files (CSV or XLSX), row by row, without the DB.

A file is recognised by its header (column order free, case ignored). Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2. Validation runs
over the whole import before anything is written (all or nothing); large CSV files are read
in chunks so memory stays bounded.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from funds.errors import N_, SpreadsheetRefused
from funds.rules import MAX_VND
from funds.spreadsheets import check_xlsx

KINDS: dict[str, tuple[str, ...]] = {
    "funds": ("fund_code", "name"),
    "budget_years": ("fiscal_year", "total_state_budget_vnd", "stidx_budget_vnd", "st_budget_vnd"),
    "national_statistics": ("fiscal_year", "gdp_vnd", "gerd_state_vnd", "gerd_nonstate_vnd"),
    "fund_allocations": ("fund_code", "fiscal_year", "amount_vnd"),
    "portfolio": (
        "project_code",
        "title",
        "fund_code",
        "strategic_area",
        "fiscal_year",
        "basis",
        "source",
        "amount_vnd",
    ),
}
# Columns a file of a kind may add: a budget-year file without `version` holds original
# estimates (dự toán); `revised` and `final` (quyết toán) rows add the later versions.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "budget_years": ("version",),
    "national_statistics": ("source",),
}
ESTIMATE_VERSIONS = ("original", "revised", "final")
ORDER = (
    "funds",
    "budget_years",
    "national_statistics",
    "fund_allocations",
    "portfolio",
)  # applied in this order
CHUNK_ROWS = 250_000
SAMPLE_ROWS = 1000  # rows per_distinct looks at to guess whether values repeat
TEXT_LIMITS = {"fund_code": 40, "name": 300, "project_code": 60, "title": 500, "source": 300}
# Vietnam's total state budget expenditure is about 2.5 × 10^15 đồng (2025), above
# funds.rules.MAX_VND (10^15, meant for project amounts): national lines get more room.
NATIONAL_MAX_VND = 10**17


@dataclass(frozen=True)
class ImportProblem:
    """One error: where (file, row, column) and what (a translatable message with params)."""

    file: str
    row: int | None
    column: str | None
    message: str
    params: dict = field(default_factory=dict)

    def english(self) -> str:
        where = (
            self.file
            + (f", row {self.row}" if self.row else "")
            + (f", column {self.column}" if self.column else "")
        )
        return f"{where}: {self.message % self.params if self.params else self.message}"


@dataclass
class ImportFile:
    """A file to import: a name for messages and its bytes (or a path to read)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    kind: str | None = None

    def stream(self):
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None, "an import file is given as bytes or as a path"
        return open(self.path, "rb")

    @property
    def is_excel(self) -> bool:
        return self.name.lower().endswith((".xlsx", ".xlsm"))


def normalise_header(columns) -> list[str]:
    return [str(c).strip().lower().lstrip("\ufeff") for c in columns]


def recognise(columns) -> str | None:
    """The kind of file whose header has exactly these columns (any order), else None."""
    found = set(normalise_header(columns))
    for kind, cols in KINDS.items():
        extra = found - set(cols)
        if set(cols) <= found and extra <= set(OPTIONAL.get(kind, ())):
            return kind
    return None


def chunks(file: ImportFile) -> Iterator[tuple[int, pd.DataFrame]]:
    """(first spreadsheet row number, frame of stripped strings) per chunk of the file."""
    with file.stream() as fh:
        if file.is_excel:
            frames = [pd.read_excel(fh, dtype=str, keep_default_na=False, engine="openpyxl")]
        else:
            frames = pd.read_csv(
                fh,
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
                chunksize=CHUNK_ROWS,
                skipinitialspace=False,
            )
        row = 2
        for frame in frames:
            frame.columns = normalise_header(frame.columns)
            frame = frame.reset_index(drop=True)
            if file.is_excel:  # cells may hold numbers: as text first
                frame = frame.apply(lambda col: col.astype(str).str.strip())
            else:
                frame = pd.DataFrame({c: stripped(frame[c]) for c in frame.columns})
            yield row, frame
            row += len(frame)


def stripped(values: pd.Series) -> pd.Series:
    """values.str.strip(), the column itself when no value changes: a plain loop is cheaper
    here than per_distinct's factorising (issue #17)."""
    items = values.to_numpy(dtype=object).tolist()
    out = list(map(str.strip, items))
    return values if out == items else pd.Series(out, index=values.index, dtype="str")


def per_distinct(values: pd.Series, fn: Callable, dtype=object) -> np.ndarray:
    """fn(value) for every value, computed once per distinct value: a ledger's code columns
    repeat a handful of values over millions of rows (the import's hot loop, issue #17).
    A column whose first rows are mostly distinct (amounts) is mapped value by value."""
    items = values.to_numpy(dtype=object)
    sample = items[:SAMPLE_ROWS]
    if len(set(sample)) * 2 > len(sample):
        return np.array([fn(v) for v in items], dtype=dtype)
    codes, distinct = pd.factorize(items, use_na_sentinel=False)
    return np.array([fn(v) for v in distinct], dtype=dtype)[codes]


def mapped(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """values.str.<fn>() (strip, upper, lower), once per distinct value."""
    return pd.Series(per_distinct(values, fn), index=values.index, dtype="str")


def count_rows(file: ImportFile) -> int:
    """Data rows of a CSV file, counted by line ends (for progress; XLSX counts 0: unknown)."""
    if file.is_excel:
        return 0
    lines = 0
    with file.stream() as fh:
        while block := fh.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def check_limits(file: ImportFile) -> None:
    """An XLSX file must be a workbook within funds.spreadsheets' limits before pandas reads
    it (CSV is read in chunks and needs none)."""
    if file.is_excel:
        with file.stream() as fh:
            check_xlsx(fh)


def read_header(file: ImportFile) -> list[str]:
    with file.stream() as fh:
        if file.is_excel:
            return list(pd.read_excel(fh, nrows=0, engine="openpyxl").columns)
        return list(pd.read_csv(fh, nrows=0, encoding="utf-8-sig").columns)


def integer_column(values: pd.Series, *, excel: bool) -> tuple[pd.Series, pd.Series]:
    """(parsed int64 values, mask of unparseable ones): plain digits only; Excel's "12.0"."""
    text = values.str.replace(r"\.0+$", "", regex=True) if excel else values
    read = _ascii_digits(text.to_numpy(dtype=object))
    if read is None:
        read = per_distinct(text, _digits_value, "int64")
    parsed = pd.Series(read, index=text.index)
    bad = parsed < 0
    return parsed.where(~bad, 0), bad


def _ascii_digits(items: np.ndarray) -> np.ndarray | None:
    """_digits_value of every item at C speed when all are ASCII (None otherwise): each
    text as a row of bytes, digits then zero padding, 1 to 18 of them."""
    try:
        raw = np.array(items, dtype="S")
    except UnicodeEncodeError:
        return None
    if len(raw) == 0 or raw.dtype.itemsize == 0:
        return np.full(len(raw), -1, dtype="int64")
    grid = raw.view(np.uint8).reshape(len(raw), raw.dtype.itemsize)
    pad = grid == 0
    digits = (grid >= ord("0")) & (grid <= ord("9"))
    length = (~pad).sum(axis=1)
    ok = (
        (digits | pad).all(axis=1)
        & (pad[:, :-1] <= pad[:, 1:]).all(axis=1)  # padding only after the digits
        & (length >= 1)
        & (length <= 18)
    )
    return np.where(ok, np.where(ok, raw, b"0").astype("int64"), -1)


def _plain_digits(text: str) -> bool:
    """The regular expression \\d{1,18} over the whole text (Unicode decimal digits)."""
    return 0 < len(text) <= 18 and text.isdecimal()


def _digits_value(text: str) -> int:
    """The value of plain digits; -1 for anything else (one pass gives value and check)."""
    if not _plain_digits(text):
        return -1
    if text.isascii():
        return int(text)
    # pandas' own reading of other scripts' digits, as before this fast path
    return int(pd.to_numeric(pd.Series([text]), errors="coerce").fillna(0).astype("int64")[0])


@dataclass
class Checker:
    """Collects the problems of one chunk: mask of bad rows → one problem per bad row."""

    file: str
    first_row: int
    problems: list[ImportProblem]

    def flag(self, mask: pd.Series, column: str, message: str, **params) -> None:
        for position in mask.to_numpy().nonzero()[0]:
            self.problems.append(
                ImportProblem(self.file, self.first_row + int(position), column, message, params)
            )


def check_text(chk: Checker, frame: pd.DataFrame, column: str, *, required=True) -> None:
    if required:
        chk.flag(frame[column] == "", column, N_("A value is required."))
    limit = TEXT_LIMITS.get(column)
    if limit:
        chk.flag(
            pd.Series(per_distinct(frame[column], len, "int64") > limit, index=frame.index),
            column,
            N_("At most %(limit)s characters."),
            limit=limit,
        )


def check_money(
    chk: Checker, frame: pd.DataFrame, column: str, excel: bool, limit: int = MAX_VND
) -> pd.Series:
    parsed, bad = integer_column(frame[column], excel=excel)
    chk.flag(bad, column, N_("Enter a whole, non-negative number of đồng without separators."))
    chk.flag(~bad & (parsed > limit), column, N_("The amount is larger than any budget allows."))
    return parsed


def check_year(chk: Checker, frame: pd.DataFrame, excel: bool) -> pd.Series:
    parsed, bad = integer_column(frame["fiscal_year"], excel=excel)
    chk.flag(
        bad | (parsed < 1990) | (parsed > 2200),
        "fiscal_year",
        N_("Enter a fiscal year between 1990 and 2200."),
    )
    return parsed


@dataclass(frozen=True)
class Known:
    """What rows may refer to: fund codes (existing or in the same import), area codes."""

    fund_codes: frozenset[str]
    area_codes: frozenset[str]
    inactive_area_codes: frozenset[str] = frozenset()


def prepare_funds(chk: Checker, frame: pd.DataFrame, excel: bool, known: Known):
    check_text(chk, frame, "fund_code")
    check_text(chk, frame, "name")
    return pd.DataFrame({"fund_code": frame["fund_code"].str.upper(), "name": frame["name"]})


def prepare_budget_years(chk: Checker, frame: pd.DataFrame, excel: bool, known: Known):
    out = pd.DataFrame({"fiscal_year": check_year(chk, frame, excel)})
    for column in KINDS["budget_years"][1:]:
        out[column] = check_money(chk, frame, column, excel, NATIONAL_MAX_VND)
    chk.flag(
        (out["stidx_budget_vnd"] > out["total_state_budget_vnd"]),
        "stidx_budget_vnd",
        N_("The S&T/I/DX appropriation cannot exceed the total state budget."),
    )
    chk.flag(
        (out["st_budget_vnd"] > out["stidx_budget_vnd"]),
        "st_budget_vnd",
        N_("The state S&T budget cannot exceed the S&T/I/DX appropriation."),
    )
    if "version" in frame.columns:
        version = frame["version"].str.lower().replace("", "original")
        chk.flag(
            ~version.isin(ESTIMATE_VERSIONS),
            "version",
            N_("Use original, revised or final (empty is original)."),
        )
        out["version"] = version
    else:
        out["version"] = "original"
    return out


def prepare_national_statistics(chk: Checker, frame: pd.DataFrame, excel: bool, known: Known):
    out = pd.DataFrame({"fiscal_year": check_year(chk, frame, excel)})
    for column in KINDS["national_statistics"][1:]:
        out[column] = check_money(chk, frame, column, excel, NATIONAL_MAX_VND)
    if "source" in frame.columns:
        check_text(chk, frame, "source", required=False)
        out["source"] = frame["source"]
    else:
        out["source"] = ""
    chk.flag(
        out["gerd_state_vnd"] + out["gerd_nonstate_vnd"] > out["gdp_vnd"],
        "gerd_state_vnd",
        N_("R&D expenditure cannot exceed GDP."),
    )
    return out


def _fund_codes(chk: Checker, frame: pd.DataFrame, known: Known) -> pd.Series:
    codes = mapped(frame["fund_code"], str.upper)
    check_text(chk, frame, "fund_code")
    chk.flag(
        (codes != "") & ~codes.isin(known.fund_codes),
        "fund_code",
        N_("No fund has this code, here or in the same import."),
    )
    return codes


def prepare_fund_allocations(chk: Checker, frame: pd.DataFrame, excel: bool, known: Known):
    return pd.DataFrame(
        {
            "fund_code": _fund_codes(chk, frame, known),
            "fiscal_year": check_year(chk, frame, excel),
            "amount_vnd": check_money(chk, frame, "amount_vnd", excel),
        }
    )


def prepare_portfolio(chk: Checker, frame: pd.DataFrame, excel: bool, known: Known):
    check_text(chk, frame, "project_code")
    check_text(chk, frame, "title", required=False)
    areas = mapped(frame["strategic_area"], str.upper)
    inactive = areas.isin(known.inactive_area_codes)
    chk.flag(
        (areas != "") & ~areas.isin(known.area_codes) & ~inactive,
        "strategic_area",
        N_("Unknown strategic area code; leave it empty for none."),
    )
    chk.flag(
        inactive,
        "strategic_area",
        N_(
            "This strategic area is no longer on the strategic technology list (inactive); "
            "use an active code or leave it empty."
        ),
    )
    basis = mapped(frame["basis"], str.lower)
    source = mapped(frame["source"], str.lower)
    chk.flag(
        ~basis.isin(["planned", "committed", "disbursed"]),
        "basis",
        N_("Use planned, committed or disbursed."),
    )
    chk.flag(~source.isin(["state", "nonstate"]), "source", N_("Use state or nonstate."))
    return pd.DataFrame(
        {
            "project_code": frame["project_code"],
            "title": frame["title"],
            "fund_code": _fund_codes(chk, frame, known),
            "area_code": areas,
            "fiscal_year": check_year(chk, frame, excel),
            "basis": basis,
            "source": source,
            "amount_vnd": check_money(chk, frame, "amount_vnd", excel),
        }
    )


PREPARE = {
    "funds": prepare_funds,
    "budget_years": prepare_budget_years,
    "national_statistics": prepare_national_statistics,
    "fund_allocations": prepare_fund_allocations,
    "portfolio": prepare_portfolio,
}


def classify(files: list[ImportFile]) -> list[ImportProblem]:
    """Set each file's kind from its header; a problem for each unreadable or unknown one."""
    problems = []
    for f in files:
        try:
            check_limits(f)
        except SpreadsheetRefused as exc:
            problems.append(ImportProblem(f.name, None, None, exc.message, exc.params))
            continue
        try:
            f.kind = recognise(read_header(f))
        except Exception as exc:
            problems.append(
                ImportProblem(
                    f.name,
                    None,
                    None,
                    N_("The file cannot be read as CSV (UTF-8) or XLSX: %(error)s"),
                    {"error": str(exc)[:200]},
                )
            )
            continue
        if f.kind is None:
            problems.append(
                ImportProblem(
                    f.name,
                    1,
                    None,
                    N_("Unrecognised header; expected the columns of one of: %(kinds)s."),
                    {"kinds": "; ".join(f"{k} ({','.join(c)})" for k, c in KINDS.items())},
                )
            )
    return problems


def prepared_chunks(file: ImportFile, known: Known, problems: list[ImportProblem]):
    """Validated, normalised chunks of one recognised file; problems are appended."""
    assert file.kind is not None, "only recognised files are prepared"
    for first_row, frame in chunks(file):
        chk = Checker(file.name, first_row, problems)
        yield PREPARE[file.kind](chk, frame, file.is_excel, known)


def validate(
    files: list[ImportFile],
    existing_funds: set[str],
    area_codes: set[str],
    inactive_area_codes: set[str] | None = None,
    on_chunk: Callable[[int], None] = lambda _rows: None,
    keep: Callable[[ImportFile, pd.DataFrame], None] = lambda _file, _part: None,
) -> tuple[Known, list[ImportProblem]]:
    """Check every row of every file; nothing is written. Returns what rows may refer to.
    `on_chunk(rows)` after each checked chunk (a job's progress and cancel check);
    `keep(file, part)` gets each checked chunk while no problem has been found, so the
    caller can park it (a ledger file is then read once, not once to check, once to write)."""
    problems = classify(files)
    new_codes: set[str] = set()
    for f in files:
        if f.kind == "funds":
            for part in prepared_chunks(f, Known(frozenset(), frozenset()), problems):
                new_codes |= set(part["fund_code"]) - {""}
    known = Known(
        frozenset(existing_funds | new_codes),
        frozenset(area_codes),
        frozenset(inactive_area_codes or ()),
    )
    for f in files:
        if f.kind in PREPARE and f.kind != "funds":
            for part in prepared_chunks(f, known, problems):
                if not problems:
                    keep(f, part)
                on_chunk(len(part))
    return known, problems
