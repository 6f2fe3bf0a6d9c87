"""Excel workbooks: one sheet per table (pandas + openpyxl), for people to read: sheet names
and column headers in the user's language, instants in Asia/Ho_Chi_Minh local time.

Frames keep the domain's column names (snake_case, as the CSV exports and tests read them);
the workbook translates them here, once, from HEADERS and SHEETS."""

from datetime import datetime
from io import BytesIO

import pandas as pd
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from funds.clock import LOCAL_TZ, to_utc
from funds.exports import safe_frame

MAX_SHEET_NAME = 31  # Excel's limit

SHEETS = {
    "Rules": _l("Rules"),
    "Years": _l("Years"),
    "Funds": _l("Funds"),
    "Areas": _l("Strategic areas"),
    "Sources": _l("Sources"),
    "Indicators": _l("Indicators"),
    "Over the years": _l("Over the years"),
    "submissions": _l("Submissions"),
    "budgets": _l("Budgets"),
    "counterparts": _l("Counterpart funding"),
}

HEADERS = {
    # submissions (funds.submission.reports)
    "proposal_id": _l("Proposal no."),
    "receipt_no": _l("Receipt number"),
    "version": _l("Version"),
    "status": _l("Status"),
    "title": _l("Title"),
    "title_en": _l("Title in English"),
    "pi": _l("Principal investigator"),
    "institution": _l("Institution"),
    "area": _l("Strategic area"),
    "trl_now": _l("TRL now"),
    "trl_target": _l("TRL target"),
    "duration_months": _l("Duration (months)"),
    "requested_vnd": _l("Requested (đồng)"),
    "submitted_at": _l("Submitted at (GMT+7)"),
    "sha256": _l("SHA-256"),
    "category": _l("Budget category"),
    "fiscal_year": _l("Fiscal year"),
    "amount_vnd": _l("Amount (đồng)"),
    "source": _l("Source"),
    # indicators (portal.projects.views)
    "year": _l("Year"),
    "indicator": _l("Indicator"),
    "unit": _l("Unit"),
    "value": _l("Value"),
    "numerator": _l("Numerator"),
    "denominator": _l("Denominator"),
    "provisional": _l("Provisional"),
    "target": _l("Target"),
    "legal_basis": _l("Legal basis"),
    "definition": _l("Definition"),
    # budget compliance (portal.budget.pages.excel_bytes, funds.compliance.tables)
    "rule": _l("Rule"),
    "kind": _l("Kind"),
    "basis": _l("Basis"),
    "threshold": _l("Threshold"),
    "ok": _l("Passes"),
    "shortfall_vnd": _l("Shortfall (đồng)"),
    "instrument": _l("Legal instrument"),
    "base": _l("Base"),
    "coverage": _l("Coverage of the base"),
    "coverage_warning": _l("Coverage warning"),
    "reason": _l("Reason"),
    "total_state_budget_vnd": _l("Total state budget (đồng)"),
    "stidx_budget_vnd": _l("S&T/I/DX appropriation (đồng)"),
    "st_budget_vnd": _l("State S&T budget (đồng)"),
    "revised_total_vnd": _l("Total state budget, revised estimate (đồng)"),
    "revised_stidx_vnd": _l("S&T/I/DX appropriation, revised estimate (đồng)"),
    "revised_st_vnd": _l("State S&T budget, revised estimate (đồng)"),
    "final_total_vnd": _l("Total state budget, final accounts (đồng)"),
    "final_stidx_vnd": _l("S&T/I/DX appropriation, final accounts (đồng)"),
    "final_st_vnd": _l("State S&T budget, final accounts (đồng)"),
    "fund_id": _l("Fund no."),
    "fund_code": _l("Fund code"),
    "fund_name": _l("Fund"),
    "allocation_vnd": _l("Allocation (đồng)"),
    "strategic_share": _l("Strategic share of the allocation (committed)"),
    "area_code": _l("Strategic area"),
    "effective_from": _l("Effective from"),
    "effective_to": _l("Effective to"),
}
BASES = {"planned": _l("Planned"), "committed": _l("Committed"), "disbursed": _l("Disbursed")}
SOURCES = {
    "state": _l("state"),
    "strategic_state": _l("strategic, state"),
    "nonstate": _l("non-state"),
}


def header(name) -> str:
    """A column's header in the user's language (a name not listed is shown as it is)."""
    if not isinstance(name, str):
        return name
    if name in HEADERS:
        return str(HEADERS[name])
    basis, _sep, rest = name.partition("_")
    source = rest.removesuffix("_vnd")
    if basis in BASES and source in SOURCES and rest.endswith("_vnd"):  # committed_state_vnd
        return _("%(basis)s, %(source)s (đồng)", basis=BASES[basis], source=SOURCES[source])
    return name


def local_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Instants (datetime columns, or *_at columns of datetimes or ISO text) in Asia/Ho_Chi_Minh,
    written as Excel dates without a zone: the header says GMT+7."""
    out = frame.copy()
    for column in out.columns:
        is_instant = pd.api.types.is_datetime64_any_dtype(out[column]) or (
            isinstance(column, str) and column.endswith("_at")
        )
        if is_instant:
            out[column] = out[column].map(_local)
    return out


def _local(value):
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(moment, pd.Timestamp):
        moment = moment.to_pydatetime()
    return to_utc(moment).astimezone(LOCAL_TZ).replace(tzinfo=None)


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Write each DataFrame to its own sheet, named and headed in the user's language, with
    local times; names are cut to Excel's 31 characters. Text that Excel would run as a
    formula is written as text (funds.exports)."""
    buffer = BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            shown = local_times(frame).rename(columns=header)
            sheet = str(SHEETS.get(name, name))[:MAX_SHEET_NAME]
            safe_frame(shown).to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()
