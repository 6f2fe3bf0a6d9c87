"""Showing councils' rules and refusals in the user's language: a role named in a message is
shown by its label, not its code."""

from flask import flash
from flask_babel import gettext

from funds.errors import DomainError
from portal import edge
from portal.edge import message as edge_message
from reviews.councils.rules import KIND_LABELS, MODE_LABELS, REPRESENTS_LABELS, ROLE_LABELS


def label(labels: dict[str, str], value: str | None) -> str:
    return "—" if value is None else gettext(labels.get(value, value))


def violation_text(violation) -> str:
    """A rule violation's message with its values, a role by its label."""
    params = dict(violation.params)
    if "role" in params:
        params["role"] = label(ROLE_LABELS, params["role"])
    return gettext(violation.message, **params)


def msgids(text: str) -> list[str]:
    """Reasons stored as msgids, one a line (automatic conflicts), each translated; a
    member's own words are shown as written."""
    return [gettext(line) for line in text.splitlines() if line.strip()]


def show_error(exc: DomainError, form=None) -> None:
    """Flash the refusal and put each violation at its form field (else flash it)."""
    params = dict(exc.params)
    if "role" in params:
        params["role"] = label(ROLE_LABELS, params["role"])
    flash(gettext(exc.message, **params) if params else edge_message(exc), "error")
    for violation in getattr(exc, "violations", []):
        field = getattr(form, violation.field, None) if form is not None else None
        text = violation_text(violation)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*(field.errors or []), text]
        elif text != gettext(exc.message, **params):
            flash(text, "error")


def run(call, *, form=None, success: str | None = None) -> bool:
    """One service call through the request edge; a refusal is shown with roles by their
    labels and each violation at its field."""
    outcome = edge.run(call, form=form, success=success, show=False)
    if not outcome and outcome.error is not None:
        show_error(outcome.error, form)
    return bool(outcome)


def register_filters(app) -> None:
    app.jinja_env.filters["council_kind"] = lambda v: label(KIND_LABELS, v)
    app.jinja_env.filters["council_role"] = lambda v: label(ROLE_LABELS, v)
    app.jinja_env.filters["represents"] = lambda v: label(REPRESENTS_LABELS, v)
    app.jinja_env.filters["meeting_mode"] = lambda v: label(MODE_LABELS, v)
    app.jinja_env.filters["violation_text"] = violation_text
    app.jinja_env.filters["msgids"] = msgids
