"""Forms of the appraisal: the appointment, the manager's approval, and the line-by-line
tables read from the posted fields (b-<id>-amount, w-<id>-task, r-budget-<id>, …) so that
whatever was typed comes back with its message when something is refused."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from funds.appraisal.rules import BudgetProposal, WorkProposal, WorkValues
from portal.forms import parse_vnd


class CsrfForm(FlaskForm):
    """A button's post: the CSRF token only."""


class AppointForm(FlaskForm):
    user_id = SelectField(_l("Appraiser"), coerce=int, validators=[InputRequired()])


class ApproveForm(FlaskForm):
    conclusion = TextAreaField(_l("Conclusion of the appraisal"), validators=[Length(max=5000)])


def read_budget(form, lines) -> tuple[dict[int, BudgetProposal], dict[str, str]]:
    """Each budget line's proposed amount and reason; errors by field name."""
    found, errors = {}, {}
    for line in lines:
        if f"b-{line.id}-amount" not in form:
            continue  # not on the form: the line keeps what it had
        raw = form.get(f"b-{line.id}-amount", "").strip()
        try:
            amount = parse_vnd(raw) if raw else line.submitted_vnd
        except ValueError as exc:
            errors[f"b-{line.id}-amount"] = str(exc)
            continue
        found[line.id] = BudgetProposal(amount, form.get(f"b-{line.id}-reason", ""))
    return found, errors


def read_work(form, lines) -> tuple[dict[int, WorkProposal], dict[str, str]]:
    """Each work package's proposed values (or removal) and reason."""
    found, errors = {}, {}
    for line in lines:
        if f"w-{line.id}-due" not in form:
            continue  # not on the form: the line keeps what it had
        raw = form.get(f"w-{line.id}-due", "").strip()
        if not raw.isdigit() or int(raw) < 1:
            errors[f"w-{line.id}-due"] = _("Due months count from 1.")
            continue
        values = WorkValues(
            form.get(f"w-{line.id}-owner", line.owner)[:200],
            form.get(f"w-{line.id}-task", line.task)[:2000],
            int(raw),
            form.get(f"w-{line.id}-deliverable", line.deliverable)[:1000],
        )
        found[line.id] = WorkProposal(
            values, bool(form.get(f"w-{line.id}-removed")), form.get(f"w-{line.id}-reason", "")
        )
    return found, errors


def read_answers(form, keys) -> dict[tuple[str, int], tuple[str | None, str]]:
    """The PI's response to each proposed change: accepted or answered, with the answer."""
    return {
        (kind, i): (form.get(f"r-{kind}-{i}") or None, form.get(f"a-{kind}-{i}", "")[:2000])
        for kind, i in keys
    }


def read_kept(form, keys) -> set[tuple[str, int]]:
    """The disputed lines the manager keeps as submitted."""
    return {(kind, i) for kind, i in keys if form.get(f"k-{kind}-{i}")}
