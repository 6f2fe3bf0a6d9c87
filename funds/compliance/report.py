"""The compliance report as plain data: JSON, CSV rows and a hash of the figures."""

import csv
import hashlib
import io
import json

from sqlmodel import Session

from funds.compliance import figures
from funds.compliance.rules import RuleResult, evaluate_year, round6
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
    "reason",
)


def result_dict(r: RuleResult) -> dict:
    """One evaluation as the machine-readable report shows it (values rounded to 6 places,
    `ok` decided on the exact values, shortfall in whole đồng rounded up)."""
    return {
        "rule": r.rule,
        "basis": r.basis,
        "kind": r.kind,
        "value": _number(round6(r.value)),
        "threshold": _number(round6(r.threshold)),
        "ok": r.ok,
        "shortfall_vnd": r.shortfall_vnd,
        "reason": (r.reason % r.params) if r.reason else None,
    }


def _number(text: str | None):
    """JSON numbers: an int when whole, else a float parsed from the 6-place text."""
    if text is None:
        return None
    return int(text) if "." not in text else float(text)


def year_report(session: Session, fiscal_year: int) -> dict:
    """{"fiscal_year": Y, "rules": [...]} for one year."""
    results = evaluate_year(figures.rule_specs(session), figures.year_figures(session), fiscal_year)
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
                        r["reason"] or "",
                    ]
                )
            )
    return out.getvalue()


def figures_hash(reports: list[dict]) -> str:
    """SHA-256 of the reports in canonical JSON: equal figures give equal hashes."""
    canonical = json.dumps(reports, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
