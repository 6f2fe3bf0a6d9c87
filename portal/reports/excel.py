"""Excel workbooks: one sheet per table (pandas + openpyxl)."""

from io import BytesIO

import pandas as pd

from funds.exports import safe_frame

MAX_SHEET_NAME = 31  # Excel's limit


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Write each DataFrame to its own sheet; names are cut to Excel's 31 characters.
    Text that Excel would run as a formula is written as text (funds.exports)."""
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name[:MAX_SHEET_NAME], index=False)
    return buffer.getvalue()
