"""Helpers of the draft form: partial saves, errors kept beside what was typed."""

from functools import lru_cache

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from funds.clock import utcnow
from funds.proposals import sections
from funds.proposals.rules import fiscal_years
from portal import db, edge
from portal.i18n import format_instant
from portal.proposals.sections import BUDGET_LABELS, MAX_ROWS, budget_label, row_numbers

SKIP = {"csrf_token", "version_id"}


def wants_json() -> bool:
    return request.path.endswith("/autosave")


def present_values(form) -> dict:
    """The form's data for the fields the browser actually sent."""
    return {f.name: f.data for f in form if f.name not in SKIP and f.name in request.form}


@lru_cache(maxsize=64)
def _partial_class(form_class, names: frozenset) -> type:
    fields = {n: getattr(form_class, n) for n in names}
    fields |= {
        f"validate_{n}": getattr(form_class, f"validate_{n}")
        for n in names
        if hasattr(form_class, f"validate_{n}")
    }  # inline validators
    return type(f"Partial{form_class.__name__}", (form_class.__base__,), fields)


def partial_form(form_class, sent) -> object:
    """A form of only the fields the browser sent, plus version_id: an autosave of one
    field need not build the whole form. CSRF was already checked for the request."""
    names = frozenset(
        n
        for n in sent
        if n not in SKIP
        and hasattr(form_class, n)
        and hasattr(getattr(form_class, n), "field_class")
    ) | {"version_id"}
    return _partial_class(form_class, names)(meta={"csrf": False})


def validate_present(form) -> bool:
    """Validate only the fields sent (an autosave may carry part of the form), and the
    version they are based on (it reaches SQL: an out-of-range one is refused here)."""
    ok = True
    for f in form:
        if f.name == "csrf_token" or f.name not in request.form:
            continue
        ok = f.validate(form) and ok
    return ok


def attach_errors(exc, form, table_errors: dict) -> None:
    """A domain error goes to its field, or to the table it concerns, or to the top."""
    violations = getattr(exc, "violations", []) or []
    if not violations:
        table_errors["_form"] = edge.message(exc)
    for v in violations:
        text = _(v.message, **v.params)
        field = getattr(form, v.field, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), text]
        else:
            table_errors[v.field] = text


def all_errors(form, table_errors: dict) -> dict:
    errors = {f.name: [str(e) for e in f.errors] for f in form if f.errors}
    errors.update({k: [v] for k, v in table_errors.items()})
    return errors


def created_payload(proposal) -> dict:
    """The answer to the autosave that created a draft: where the page continues."""
    from flask import url_for

    return {
        "saved": True,
        "created": True,
        "proposal_id": proposal.id,
        "version_id": proposal.version_id,
        "requested_vnd": proposal.requested_vnd,
        "edit_url": url_for("proposals.edit", proposal_id=proposal.id),
        "autosave_url": url_for("proposals.autosave", proposal_id=proposal.id),
        "detail_url": url_for("proposals.detail", proposal_id=proposal.id),
        "message": _("Saved at %(when)s", when=now_text()),
    }


TABLE_ANCHORS = {"work_packages": "workplan", "budget": "budget", "counterparts": "counterparts"}
COLUMNS = {
    "owner": _l("Owner"),
    "task": _l("Task"),
    "due": _l("Due month"),
    "deliverable": _l("Deliverable"),
    "source": _l("Source (enterprise or other)"),
    "amount": _l("Amount (đồng)"),
    "year": _l("Fiscal year"),
}


def _cell_target(key: str) -> tuple[str, str]:
    """The input an error about `key` links to, and how the summary names it."""
    parts = key.split("-")
    if parts[0] == "wp" and len(parts) >= 2 and parts[1].isdigit():
        row = int(parts[1]) + 1
        column = parts[2] if len(parts) > 2 else "owner"
        return f"wp-{parts[1]}-{column}", _("Work plan, task %(row)s", row=row)
    if parts[0] == "cp" and len(parts) == 3 and parts[1].isdigit():
        return key, _(
            "Counterpart funding, row %(row)s: %(column)s",
            row=int(parts[1]) + 1,
            column=COLUMNS.get(parts[2], parts[2]),
        )
    if parts[0] == "budget" and len(parts) == 3:
        return key, _(
            "Budget: %(category)s, %(year)s", category=budget_label(parts[1]), year=parts[2]
        )
    return TABLE_ANCHORS.get(key, key), {
        "work_packages": _("Work plan"),
        "counterparts": _("Counterpart funding"),
    }.get(key, _("Budget"))


def error_summary(form, table_errors: dict) -> list[dict]:
    """Every error of a failed save, in the order of the form, each linking to its input."""
    rows = [
        {"id": f.id, "label": str(f.label.text), "message": str(e)}
        for f in form
        if f.errors and f.name != "csrf_token"
        for e in f.errors
    ]
    for key, message in table_errors.items():
        if key == "_form":
            continue
        target, label = _cell_target(key)
        rows.append({"id": target, "label": str(label), "message": str(message)})
    return rows


def conflict_payload(current) -> dict:
    return {
        "version_id": current.version_id,
        "title": current.title,
        "title_en": current.title_en,
        "abstract": current.abstract,
        "keywords": current.keywords,
        "requested_vnd": current.requested_vnd,
    }


def now_text() -> str:
    return format_instant(utcnow())


def typed(name: str, default="") -> str:
    """What the user typed into a table cell (on a re-render), else the saved value."""
    if request.method == "POST" and name in request.form:
        return request.form[name]
    return "" if default is None else default


def _table_defaults(proposal, years) -> dict:
    s = db.session()
    cells = {}
    for i, w in enumerate(sections.work_packages(s, proposal.id)):
        cells |= {
            f"wp-{i}-owner": w.owner,
            f"wp-{i}-task": w.task,
            f"wp-{i}-due": str(w.due_month),
            f"wp-{i}-deliverable": w.deliverable,
        }
    for category, year, amount in sections.budget_lines(s, proposal.id):
        cells[f"budget-{category}-{year}"] = f"{amount:,}".replace(",", ".")
    for i, c in enumerate(sections.counterparts(s, proposal.id)):
        cells |= {
            f"cp-{i}-source": c.source,
            f"cp-{i}-amount": f"{c.amount_vnd:,}".replace(",", "."),
            f"cp-{i}-year": str(c.fiscal_year or ""),
        }
    return cells


def render_form(form, call, proposal, errors: dict, conflict: bool = False):
    from flask_login import current_user

    from portal.hosts.views import host_choices

    if proposal is None and request.method == "GET":  # a new draft names the profile's host
        from funds.profiles.services import profile_of

        form.host_id.data = profile_of(db.session(), current_user.id).host_id
    form.host_id.choices = host_choices(current_user.id, keep=form.host_id.data)
    years = fiscal_years(call.closes_at, call.max_duration_months)
    cells = _table_defaults(proposal, years) if proposal else {}
    wp_rows = _rows(cells, "wp", "owner", minimum=3)
    cp_rows = _rows(cells, "cp", "source", minimum=2)
    return render_template(
        "proposals/form.html",
        form=form,
        call=call,
        proposal=proposal,
        conflict=proposal if conflict else None,
        table_errors=errors,
        cell=lambda name: typed(name, cells.get(name, "")),
        years=years,
        categories=list(BUDGET_LABELS.items()),
        wp_rows=wp_rows,
        cp_rows=cp_rows,
        max_rows=MAX_ROWS,
        version_id=_version(form, proposal, conflict),
        summary=error_summary(form, errors) if errors or form.errors else [],
        invalid=_invalid_cells(errors),
        nav=section_nav(proposal, call),
    )


def _rows(cells: dict, prefix: str, first: str, minimum: int) -> list[int]:
    """The row numbers to show: those sent back on a re-render (typed text kept, even in
    rows beyond the saved ones), else the saved rows and one empty row to type into."""
    if request.method == "POST" and any(k.startswith(prefix + "-") for k in request.form):
        sent = row_numbers(request.form, prefix)
        return sent or [0]
    saved = len([k for k in cells if k.startswith(prefix + "-") and k.endswith("-" + first)])
    return list(range(max(minimum, saved + 1)))


def _invalid_cells(errors: dict) -> set[str]:
    """The table inputs to mark aria-invalid: a row's error marks each of its cells."""
    marked = set()
    for key in errors:
        parts = key.split("-")
        if parts[0] == "wp" and len(parts) == 2:
            marked |= {f"{key}-{c}" for c in ("owner", "task", "due", "deliverable")}
        else:
            marked.add(key)
    return marked


def section_nav(proposal, call) -> list[dict]:
    """The form's sections, each complete when every check anchored to it holds."""
    from portal.proposals.context import section_status

    return section_status(proposal, call)


def _version(form, proposal, conflict: bool):
    """The version this page's next save is based on: what the user started from."""
    if proposal is None:
        return ""
    if conflict or request.method == "GET" or form.version_id.data is None:
        return proposal.version_id
    return form.version_id.data
