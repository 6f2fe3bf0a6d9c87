"""Helpers of the draft form: partial saves, errors kept beside what was typed."""

from functools import lru_cache

from flask import render_template, request
from flask_babel import gettext as _

from funds.clock import utcnow
from funds.proposals import sections
from funds.proposals.rules import fiscal_years
from portal import db, edge
from portal.i18n import format_instant
from portal.proposals.sections import BUDGET_LABELS

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
    wp_rows = max(3, len([k for k in cells if k.endswith("-owner")]) + 2)
    cp_rows = max(2, len([k for k in cells if k.endswith("-source")]) + 1)
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
        version_id=_version(form, proposal, conflict),
    )


def _version(form, proposal, conflict: bool):
    """The version this page's next save is based on: what the user started from."""
    if proposal is None:
        return ""
    if conflict or request.method == "GET" or form.version_id.data is None:
        return proposal.version_id
    return form.version_id.data
