"""CSV files of the assignment CLI: scores and constraints in, the assignment out.

Both input files hold three comma-separated columns, with or without a header line (the
OpenReview matcher writes none): the first line is a header when its third field is not a
number. Ids are kept as the exact strings given. Every malformed row is reported with its
file and line number.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from reviews.assignment.errors import InvalidAssignmentInput
from reviews.assignment.solver.table import ScoreTable

SCORE_COLUMNS = ["proposal_id", "reviewer_id", "score"]
CONSTRAINT_COLUMNS = ["proposal_id", "reviewer_id", "value"]


def has_header(path: Path) -> bool:
    """Whether the first line is a header: its third field is not a number."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = next(csv.reader(handle), None)
    if first is None:
        raise InvalidAssignmentInput(f"{path}: the file is empty")
    if len(first) != 3:
        raise InvalidAssignmentInput(f"{path} line 1: expected 3 fields, found {len(first)}")
    try:
        float(first[2])
    except ValueError:
        return True
    return False


def read_rows(path: Path, columns: list[str]) -> pd.DataFrame:
    """Three columns (ids as strings, the last as float) indexed by line number, blanks dropped."""
    frame = _read_frame(path, columns)
    empty = [frame[c].isna().to_numpy() | (frame[c] == "").to_numpy() for c in columns[:2]]
    frame = frame[~(empty[0] & empty[1] & frame[columns[2]].isna().to_numpy())]
    _refuse_missing(path, frame, columns)
    return frame


def _read_frame(path: Path, columns: list[str]) -> pd.DataFrame:
    """The file as read, ids as strings and the last column as float, indexed by line."""
    header = has_header(path)
    options = {
        "header": None,
        "skiprows": int(header),
        "names": columns,
        "skip_blank_lines": False,
        "encoding": "utf-8-sig",
        "keep_default_na": False,
        "na_values": {columns[2]: [""]},
    }
    try:
        frame = pd.read_csv(
            path, dtype={columns[0]: str, columns[1]: str, columns[2]: "float64"}, **options
        )
    except pd.errors.ParserError as error:
        raise InvalidAssignmentInput(_parser_message(path, error)) from None
    except ValueError:
        frame = _parse_numbers_slowly(path, columns, options)
    except UnicodeDecodeError as error:
        raise InvalidAssignmentInput(f"{path}: not UTF-8 text ({error.reason})") from None
    frame.index = frame.index + 1 + int(header)
    return frame


def _empty_codes(codes: np.ndarray, labels: pd.Index) -> np.ndarray:
    """Rows whose id is missing or empty, from its factorised codes (no string compared)."""
    empty = codes < 0
    at = labels.get_indexer([""])[0] if len(labels) else -1
    return empty | (codes == at) if at >= 0 else empty


def _parser_message(path: Path, error: Exception) -> str:
    """'file line N: expected 3 fields, found M' from pandas' tokenizer error."""
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
    if match:
        return f"{path} line {match[2]}: expected {match[1]} fields, found {match[3]}"
    return f"{path}: cannot parse the file ({error})"


def _parse_numbers_slowly(path: Path, columns: list[str], options: dict) -> pd.DataFrame:
    """Re-read as text to name the first line whose last field is not a number."""
    frame = pd.read_csv(path, dtype=str, **options)
    numbers = pd.to_numeric(frame[columns[2]], errors="coerce")
    bad = numbers.isna() & frame[columns[2]].notna()
    line = int(np.flatnonzero(bad.to_numpy())[0]) + 1 + options["skiprows"]
    value = frame[columns[2]][bad].iloc[0]
    raise InvalidAssignmentInput(f"{path} line {line}: {columns[2]} {value!r} is not a number")


def _refuse_missing(path: Path, frame: pd.DataFrame, columns: list[str]) -> None:
    """Refuse the first row with an empty id, a missing field or a non-finite number."""
    checks = [
        (frame[c].isna().to_numpy() | (frame[c] == "").to_numpy(), f"{c} is empty")
        for c in columns[:2]
    ]
    checks.append(
        (~np.isfinite(frame[columns[2]].to_numpy()), f"{columns[2]} is missing or not finite")
    )
    hits = [(int(mask.argmax()), text) for mask, text in checks if mask.any()]
    if hits:
        position, text = min(hits)
        raise InvalidAssignmentInput(f"{path} line {frame.index[position]}: {text}")


def read_scores(path: Path) -> tuple[ScoreTable, pd.Index]:
    """The score table of a scores file, and its rows' line numbers (for messages). Each id
    column is factorised once, and the checks for empty ids run on its codes: the 3-million
    row file is read in little more than pandas' own time."""
    frame = _read_frame(path, SCORE_COLUMNS)
    p_codes, p_labels = pd.factorize(frame["proposal_id"], use_na_sentinel=True)
    r_codes, r_labels = pd.factorize(frame["reviewer_id"], use_na_sentinel=True)
    p_empty, r_empty = _empty_codes(p_codes, p_labels), _empty_codes(r_codes, r_labels)
    score = frame["score"].to_numpy(dtype=np.float64)
    if (p_empty | r_empty).any():  # blank lines or missing ids: the general path says which
        frame = read_rows(path, SCORE_COLUMNS)
        return _table(path, frame), frame.index
    missing = ~np.isfinite(score)
    if missing.any():
        line = frame.index[int(missing.argmax())]
        raise InvalidAssignmentInput(f"{path} line {line}: score is missing or not finite")
    try:
        table = ScoreTable.from_codes(
            p_codes.astype(np.int64),
            r_codes.astype(np.int64),
            score,
            np.asarray(p_labels, dtype=object),
            np.asarray(r_labels, dtype=object),
        )
    except InvalidAssignmentInput as error:
        raise InvalidAssignmentInput(f"{path}: {error}") from None
    return table, frame.index


def _table(path: Path, frame: pd.DataFrame) -> ScoreTable:
    try:
        return ScoreTable.from_pairs(
            frame["proposal_id"].to_numpy(dtype=object),
            frame["reviewer_id"].to_numpy(dtype=object),
            frame["score"].to_numpy(dtype=np.float64),
        )
    except InvalidAssignmentInput as error:
        raise InvalidAssignmentInput(f"{path}: {error}") from None


def read_constraints(path: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(forced, forbidden) pairs of a constraints file: 1 forces, -1 forbids, 0 is no constraint."""
    frame = read_rows(path, CONSTRAINT_COLUMNS)
    values = frame["value"].to_numpy()
    wrong = ~np.isin(values, (-1.0, 0.0, 1.0))
    if wrong.any():
        at = int(wrong.argmax())
        raise InvalidAssignmentInput(
            f"{path} line {frame.index[at]}: value must be -1, 0 or 1, not {values[at]:g}"
        )
    pairs = list(zip(frame["proposal_id"].tolist(), frame["reviewer_id"].tolist(), strict=True))
    forced = [pair for pair, value in zip(pairs, values, strict=True) if value == 1]
    forbidden = [pair for pair, value in zip(pairs, values, strict=True) if value == -1]
    clash = set(forced) & set(forbidden)
    if clash:
        proposal, reviewer = min(clash)
        raise InvalidAssignmentInput(
            f"{path}: pair ({proposal}, {reviewer}) is both forced and forbidden"
        )
    return forced, forbidden


def write_assignment(frame: pd.DataFrame, path: Path) -> None:
    """Write proposal_id,reviewer_id,score with a header, one row per assigned pair."""
    frame.to_csv(path, index=False, header=SCORE_COLUMNS, lineterminator="\n")
