"""The manager's submissions page: filters, Excel and CSV exports (pandas); the zip of PDFs is
a job (portal.jobs.runners.run_submissions_zip)."""

import pandas as pd
from flask import Response, request

from funds.calls.rules import SETTING_NAMES
from funds.exports import safe_frame
from funds.submission import reports
from portal import db
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


def _disposition(name: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}"'}
