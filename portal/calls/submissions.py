"""The manager's submissions page: filters, a zip of PDFs, Excel and CSV exports (pandas)."""

import io
import zipfile

import pandas as pd
from flask import Response, current_app, request
from flask_babel import gettext as _

from funds.calls.rules import SETTING_NAMES
from funds.exports import safe_frame
from funds.submission import reports
from portal import db
from portal.proposals.receipts import stored_pdf
from portal.reports.excel import workbook


def settings_from(form) -> dict:
    """The call settings as typed in the CallForm (funds.calls.rules.CALL_SETTINGS)."""
    return {name: getattr(form, name).data for name in SETTING_NAMES}


def filters() -> dict:
    args = request.args
    return {
        "status": (args.get("status") or "")[:20],
        "area": (args.get("area") or "")[:40],
        "q": (args.get("q") or "")[:200],
    }


def rows_for(call, actor):
    return reports.submitted_rows(db.session(), actor=actor, call_id=call.id, **filters())


def frames(rows) -> dict[str, pd.DataFrame]:
    """One table per sheet; money stays integer đồng (int64)."""
    return {
        "submissions": pd.DataFrame(reports.submission_table(rows)),
        "budgets": pd.DataFrame(reports.budget_table(rows)),
        "counterparts": pd.DataFrame(reports.counterpart_table(rows)),
    }


def excel_response(call, rows) -> Response:
    return Response(
        workbook(frames(rows)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_disposition(f"call-{call.id}-submissions.xlsx"),
    )


def csv_response(call, rows, table: str) -> Response:
    frame = frames(rows)[table]
    text = safe_frame(frame).to_csv(index=False)
    return Response(
        "\ufeff" + text,
        mimetype="text/csv; charset=utf-8",
        headers=_disposition(f"call-{call.id}-{table}.csv"),
    )


PENDING_LIST = "PDFS-STILL-BEING-GENERATED.txt"


def zip_response(call, rows) -> Response:
    """Every current submitted version's stored PDF in one zip, named by receipt number. A
    PDF the queue has not made yet is listed in PENDING_LIST, never rendered here (a
    hundred renderings would hold the request for a minute)."""
    buffer = io.BytesIO()
    pending = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for r in rows:
            if r.submission is None:
                continue
            data = stored_pdf(current_app, r.submission)
            if data is None:
                pending.append(r.submission.receipt_no)
            else:
                archive.writestr(f"{r.submission.receipt_no}.pdf", data)
        if pending:
            heading = _("These PDFs are still being generated; download the zip again later:")
            archive.writestr(PENDING_LIST, "\n".join([heading, *pending, ""]))
    return Response(
        buffer.getvalue(),
        mimetype="application/zip",
        headers=_disposition(f"call-{call.id}-proposals.zip"),
    )


def _disposition(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
