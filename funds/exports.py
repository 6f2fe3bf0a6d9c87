"""Cells for spreadsheets and CSV files that a spreadsheet program cannot run as formulas.

OWASP "CSV Injection" (ASVS 5.0 V1.2.10): text beginning with =, +, -, @, a tab or a
carriage return is read by Excel and LibreOffice as a formula (=HYPERLINK(…), =cmd|…). Such
text gets a leading apostrophe; numbers stay numbers, so a negative amount stays -5.
"""

import pandas as pd

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a leading ' when it is text that could start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    """A CSV row's values, each through safe_cell."""
    return [safe_cell(v) for v in values]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns (object or string dtype) go through safe_cell; numeric
    columns are left as they are. Column names are checked too: they become the header row."""
    out = frame.copy()
    for column in out.columns:
        if not (
            pd.api.types.is_numeric_dtype(out[column])
            or pd.api.types.is_bool_dtype(out[column])
            or pd.api.types.is_datetime64_any_dtype(out[column])
        ):
            out[column] = out[column].map(safe_cell)
    return out.rename(columns=lambda c: safe_cell(c) if isinstance(c, str) else c)
