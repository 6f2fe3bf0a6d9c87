"""The compliance report as plain data: JSON, CSV rows and a hash of the figures."""

import csv
import hashlib
import io
import json

from sqlmodel import Session

from funds.compliance import figures
from funds.compliance.rules import RuleResult, decimal_text, evaluate_year, round6, shown_value
from funds.exports import safe_row

CSV_COLUMNS = (
    "fiscal_year",
    "rule",
    "kind",
    "basis",
    "value",
    "threshold",
    "ok",
    "shortfall_vnd",
    "legal_basis",
    "coverage",
    "reason",
)


def result_dict(r: RuleResult) -> dict:
    """One evaluation as the machine-readable report shows it: values at 6 places, rounded
    so that a failing value never reads as its threshold; `ok` decided on the exact values
    (null for an indicator, whose shortfall is 0); shortfall in whole đồng rounded up;
    `legal_basis` the instrument and article; `coverage` (strategic share) the part of the
    base the ledger covers."""
    value = shown_value(r.value, r.threshold, r.ok, 6, r.strict)
    found = {
        "rule": r.rule,
        "basis": r.basis,
        "kind": r.kind,
        "value": _number(decimal_text(value) if value is not None else None),
        "threshold": _number(round6(r.threshold)),
        "ok": r.ok,
        "shortfall_vnd": r.shortfall_vnd,
        "legal_basis": r.legal_basis,
        "instrument": r.instrument,
        "base": r.base,
        "reason": (r.reason % r.params) if r.reason else None,
    }
    if r.rule == "strategic_share_of_st_budget" or r.coverage is not None:
        found["coverage"] = _number(round6(r.coverage))
        found["coverage_warning"] = r.coverage_low
    return found


def _number(text: str | None):
    """JSON numbers: an int when whole, else a float parsed from the 6-place text."""
    if text is None:
        return None
    return int(text) if "." not in text else float(text)


def year_report(session: Session, fiscal_year: int) -> dict:
    """{"fiscal_year": Y, "rules": [...]} for one year."""
    results = evaluate_year(
        figures.rule_specs(session),
        figures.year_figures(session),
        fiscal_year,
        figures.rule_settings(session),
    )
    return {"fiscal_year": fiscal_year, "rules": [result_dict(r) for r in results]}


def all_years(session: Session) -> list[int]:
    return sorted(figures.year_figures(session))


def csv_text(reports: list[dict]) -> str:
    """The reports as CSV rows, one per rule and basis."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(safe_row(CSV_COLUMNS))
    for report in reports:
        for r in report["rules"]:
            writer.writerow(
                safe_row(
                    [
                        report["fiscal_year"],
                        r["rule"],
                        r["kind"],
                        r["basis"],
                        "" if r["value"] is None else r["value"],
                        "" if r["threshold"] is None else r["threshold"],
                        "" if r["ok"] is None else str(r["ok"]).lower(),
                        "" if r["shortfall_vnd"] is None else r["shortfall_vnd"],
                        r.get("legal_basis", ""),
                        "" if r.get("coverage") is None else r["coverage"],
                        r["reason"] or "",
                    ]
                )
            )
    return out.getvalue()


def figures_hash(reports: list[dict]) -> str:
    """SHA-256 of the reports in canonical JSON: equal figures give equal hashes."""
    canonical = json.dumps(reports, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
