"""Reading the proposal form's tables (work plan, budget, counterpart funding).

Rows are plain inputs named wp-<i>-owner, budget-<category>-<year>, cp-<i>-source; every
error names the input it concerns, and the typed text is shown again, never dropped.
The browser adds and removes rows, so the row numbers <i> need not be consecutive: the rows
are read in the order of their numbers, at most MAX_ROWS of them. A hidden `wp-rows` or
`cp-rows` input says the table was sent, so a table whose every row was removed is emptied.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from funds.proposals.sections import CATEGORIES
from portal.forms import _looks_fractional, parse_vnd

MAX_ROWS = 50
BUDGET_LABELS = {
    "personnel": _l("Personnel"),
    "equipment": _l("Equipment"),
    "materials": _l("Materials"),
    "travel": _l("Travel"),
    "services": _l("Services"),
    "other": _l("Other"),
    "indirect": _l("Indirect costs"),
}
LEDGER_LABELS = {"counterpart": _l("Counterpart funding")}  # a project's line, not a form's
SOURCE_LABELS = {
    "state": _l("State"),
    "nonstate": _l("Non-state"),
}  # where a line's money comes from


def budget_label(category: str) -> str:
    return str(BUDGET_LABELS.get(category) or LEDGER_LABELS.get(category, category))


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


def money(text: str) -> int:
    """Whole đồng as typed in a table cell; decimals are refused, not rounded."""
    if any(sep in text for sep in (".", ",")) and _looks_fractional(text):
        raise ValueError(_("Amounts are whole numbers of đồng, without decimals."))
    return parse_vnd(text)


def _int(text: str, lo: int, hi: int) -> int | None:
    text = text.strip()
    if not text.isdigit() or not text.isascii() or len(text) > 4 or not lo <= int(text) <= hi:
        return None
    return int(text)


def row_numbers(form, prefix: str) -> list[int]:
    """The row numbers sent for a table (wp, cp), in order; numbers beyond reason ignored."""
    pattern = re.compile(rf"^{prefix}-(\d{{1,4}})-[a-z]+$")
    found = {int(m.group(1)) for k in form if (m := pattern.match(k))}
    return sorted(found)


def _too_many(form, prefix: str, name: str, filled) -> dict:
    count = sum(1 for i in row_numbers(form, prefix) if filled(i))
    if count <= MAX_ROWS:
        return {}
    return {name: _("At most %(n)s rows; remove %(extra)s.", n=MAX_ROWS, extra=count - MAX_ROWS)}


def parse_work_packages(form) -> tuple[list[dict], dict]:
    rows, errors = [], {}
    for i in row_numbers(form, "wp"):
        cells = {
            k: (form.get(f"wp-{i}-{k}") or "").strip()
            for k in ("owner", "task", "due", "deliverable")
        }
        if not any(cells.values()):
            continue
        due = _int(cells["due"], 1, 600)
        if due is None or not all(cells.values()):
            errors[f"wp-{i}"] = _(
                "Each task needs an owner, a task, a due month (1–600) and a deliverable."
            )
            continue
        rows.append(
            {
                "owner": cells["owner"][:200],
                "task": cells["task"][:2000],
                "due_month": due,
                "deliverable": cells["deliverable"][:1000],
            }
        )
    errors |= _too_many(form, "wp", "work_packages", lambda i: _wp_filled(form, i))
    return rows, errors


def _wp_filled(form, i: int) -> bool:
    return any(
        (form.get(f"wp-{i}-{k}") or "").strip() for k in ("owner", "task", "due", "deliverable")
    )


def parse_budget(form, years: list[int]) -> tuple[list[tuple], dict]:
    lines, errors = [], {}
    for category in CATEGORIES:
        for year in years:
            name = f"budget-{category}-{year}"
            text = form.get(name) or ""
            if not text.strip():
                continue
            try:
                lines.append((category, year, money(text)))
            except ValueError as exc:
                errors[name] = str(exc)
    return lines, errors


def parse_counterparts(form, years: list[int]) -> tuple[list[tuple], dict]:
    """(source, đồng, fiscal year or None) rows; the year is one of the call's years."""
    rows, errors = [], {}
    for i in row_numbers(form, "cp"):
        source = (form.get(f"cp-{i}-source") or "").strip()[:300]
        text = form.get(f"cp-{i}-amount") or ""
        if not source and not text.strip():
            continue
        try:
            amount = money(text) if text.strip() else 0
        except ValueError as exc:
            errors[f"cp-{i}-amount"] = str(exc)
            continue
        if not source:
            errors[f"cp-{i}-source"] = _("Name the source of this funding.")
            continue
        year = _int(form.get(f"cp-{i}-year") or "", min(years, default=0), max(years, default=0))
        rows.append((source, amount, year))
    errors |= _too_many(
        form,
        "cp",
        "counterparts",
        lambda i: any((form.get(f"cp-{i}-{k}") or "").strip() for k in ("source", "amount")),
    )
    return rows, errors


def parse_tables(form, years: list[int]) -> tuple[dict, dict]:
    """The tables present in the posted form, and the errors by input name."""
    values, errors = {}, {}
    keys = list(form.keys())
    if any(k.startswith("wp-") for k in keys):
        values["work_packages"], e = parse_work_packages(form)
        errors |= e
    if any(k.startswith("budget-") for k in keys):
        values["budget_lines"], e = parse_budget(form, years)
        errors |= e
    if any(k.startswith("cp-") for k in keys):
        values["counterparts"], e = parse_counterparts(form, years)
        errors |= e
    return values, errors
