"""One table from the logs of scripts/bench.sh: each figure the issues set a target for, as
measured, with its target and whether it holds.

    python bench/summary.py LOG_FOLDER

Each benchmark's log is LOG_FOLDER/<name>.log; a figure whose log or line is missing shows
"—" (that benchmark failed or was skipped: its log says why). Not a test.
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    label: str
    log: str
    pattern: str  # a regex whose first group is the value
    unit: str
    target: str
    holds: object  # value -> bool


FIGURES = [
    Figure(
        "saturated autosave, % of the bare endpoint (wrk, medians)",
        "deadline_surge",
        r"^AUTOSAVE_RATIO ([\d.]+)",
        "%",
        "≥ 15",
        lambda v: v >= 15,
    ),
    Figure(
        "deadline surge: submit p95",
        "deadline_surge",
        r"^submit\s+n=\s*\d+\s+p50=\s*[\d.]+ ms\s+p95=\s*([\d.]+) ms",
        "ms",
        "(report)",
        lambda v: True,
    ),
    Figure(
        "deadline surge: 0 lost, duplicated or late-accepted",
        "deadline_surge",
        r"^\s+ok: (True|False)",
        "",
        "True",
        lambda v: v == "True",
    ),
    Figure(
        "scale-out, a web node killed mid-surge: 0 lost or duplicated, all answered",
        "scale_out",
        r"^RESULT (ok|FAILED)",
        "",
        "ok",
        lambda v: v == "ok",
    ),
    Figure(
        "scale-out: client retries after a failed answer",
        "scale_out",
        r"client retries after a failed answer: (\d+)",
        "",
        "(report)",
        lambda v: True,
    ),
    Figure(
        "budget import, 2.9 M rows, SQLite",
        "compliance_sqlite",
        r"^import \([\d,]+ ledger rows\)\s+([\d.]+) s",
        "s",
        "< 30",
        lambda v: v < 30,
    ),
    Figure(
        "budget import, peak memory, SQLite",
        "compliance_sqlite",
        r"^import \([\d,]+ ledger rows\)\s+[\d.]+ s\s+peak RSS\s+(\d+) MB",
        "MB",
        "< 1024",
        lambda v: v < 1024,
    ),
    Figure(
        "budget import, 2.9 M rows, PostgreSQL",
        "compliance_postgresql",
        r"^import \([\d,]+ ledger rows\)\s+([\d.]+) s",
        "s",
        "< 15",
        lambda v: v < 15,
    ),
    Figure(
        "budget import, peak memory, PostgreSQL",
        "compliance_postgresql",
        r"^import \([\d,]+ ledger rows\)\s+[\d.]+ s\s+peak RSS\s+(\d+) MB",
        "MB",
        "< 1024",
        lambda v: v < 1024,
    ),
    Figure(
        "compliance: evaluate every rule, every year",
        "compliance_postgresql",
        r"^evaluate all rules, all years \(\d+ results\)\s+([\d.]+) s",
        "s",
        "< 2",
        lambda v: v < 2,
    ),
    Figure(
        "assignment 10,000 × 5,000 (3 M pairs), CLI ÷ bare OR-Tools",
        "assignment",
        r"^ASSIGNMENT_RATIO ([\d.]+)",
        "×",
        "≤ 1.2",
        lambda v: v <= 1.2,
    ),
    Figure(
        "affinities 10,000 × 5,000",
        "assignment",
        r"^AFFINITY_FULL_SECONDS ([\d.]+)",
        "s",
        "< 10",
        lambda v: v < 10,
    ),
    Figure(
        "public project list, filtered page, p95 (100,000 projects)",
        "public_api",
        r"^PUBLIC_PAGE_P95_MS ([\d.]+)",
        "ms",
        "< 100",
        lambda v: v < 100,
    ),
    Figure(
        "open data API, filtered page, p95 (100,000 projects)",
        "public_api",
        r"^API_PAGE_P95_MS ([\d.]+)",
        "ms",
        "< 100",
        lambda v: v < 100,
    ),
]


def value_of(text: str, pattern: str):
    match = re.search(pattern, text, flags=re.M)
    if not match:
        return None
    raw = match.group(1)
    try:
        return float(raw)
    except ValueError:
        return raw


def main(folder: Path) -> int:
    rows, failed = [], 0
    for f in FIGURES:
        log = folder / f"{f.log}.log"
        value = value_of(log.read_text(errors="replace"), f.pattern) if log.exists() else None
        verdict = "—" if value is None else ("ok" if f.holds(value) else "MISSED")
        failed += verdict != "ok"
        shown = "—" if value is None else (f"{value:g}" if isinstance(value, float) else value)
        rows.append((f.label, f"{shown} {f.unit}".strip(), f"{f.target} {f.unit}".strip(), verdict))
    head = ("figure", "measured", "target", "")
    widths = [max(len(r[i]) for r in [*rows, head]) for i in range(4)]
    for row in [head, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
