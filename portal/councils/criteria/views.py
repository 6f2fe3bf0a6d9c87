"""The fund's criteria of acceptance and mid-term rating sheets: shown and edited on the
council rules page (add, change, remove, reorder), after the password is confirmed, as the
rules are; each change audited with its basis (reviews.councils.criteria.services)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import gettext as _
from flask_login import current_user

from funds.calls.models import Fund
from portal import db, edge
from portal.council_work.labels import sheet_criterion
from portal.councils.criteria.forms import BLANK_ROWS, CriteriaForm
from portal.councils.display import violation_text
from portal.mfa.reauth import reauth_required
from portal.security import requires
from reviews.councils.criteria.queries import fund_criteria, stored_criteria
from reviews.councils.criteria.rules import DEFAULT_TEXTS, CriterionInput
from reviews.councils.criteria.services import set_council_criteria
from reviews.councils.models import SheetKind
from reviews.councils.permissions import can_edit_council_rules, can_open_council_rules

bp = Blueprint("criteria", __name__, url_prefix="")


def _fund(fund_id: int, kind: str) -> Fund:
    fund = db.session().get(Fund, fund_id)
    if fund is None or kind not in set(SheetKind) or not can_edit_council_rules(fund, current_user):
        abort(404)
    return fund


def criteria_section(fund: Fund, kind: str, form: CriteriaForm | None = None) -> dict:
    """What the rules page shows of a kind's criteria (nothing for selection and standing
    councils, which rate on the call's rubric): those in force and the form to change them."""
    if kind not in set(SheetKind):
        return {"criteria": None}
    s = db.session()
    current = fund_criteria(s, fund.id, kind)
    stored = stored_criteria(s, fund.id, kind)
    if form is None:
        rows = [
            {
                "position": n,
                "name": sheet_criterion(c.name),
                "description": sheet_criterion(c.description),
                "weight": c.weight,
                "scale_max": c.scale_max,
                "threshold": c.threshold,
            }
            for n, c in enumerate(current, 1)
        ]
        rows += [{"scale_max": 5, "weight": 1, "threshold": 0}] * BLANK_ROWS
        form = CriteriaForm(formdata=None, data={"rows": rows, "basis": ""})
    return {
        "criteria": current,
        "criteria_basis": stored[0].basis if stored else "",
        "criteria_form": form,
        "criteria_kind": kind,
    }


@bp.route("/funds/<int:fund_id>/criteria/<kind>", methods=["GET", "POST"])
@requires(can_open_council_rules)
@reauth_required
def edit(fund_id: int, kind: str):
    """Change the fund's criteria of this kind; a refusal keeps what was typed."""
    fund = _fund(fund_id, kind)
    form = CriteriaForm() if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        inputs, order = _inputs(form)
        done = edge.run(
            lambda: set_council_criteria(
                db.session(),
                actor=current_user,
                fund_id=fund.id,
                kind=kind,
                criteria=inputs,
                basis=form.basis.data or "",
            ),
            form=form,
            show=False,
            success=_("The criteria are saved."),
        )
        if done:
            return redirect(url_for("councils.rules", fund_id=fund.id, kind=kind) + "#criteria")
        _show(done.error, form, order)
    return render_template(
        "councils/criteria.html", fund=fund, kind=kind, **criteria_section(fund, kind, form)
    ), (422 if form is not None else 200)


def _inputs(form: CriteriaForm) -> tuple[list[CriterionInput], list[int]]:
    """The criteria kept, in the order typed (then as listed), and the form row of each."""
    kept = [
        (row.form.position.data or 100, n, row.form)
        for n, row in enumerate(form.rows)
        if (row.form.name.data or "").strip() and not row.form.remove.data
    ]
    kept.sort(key=lambda k: (k[0], k[1]))
    inputs = [
        CriterionInput(
            _stored(f.name.data or ""),
            _stored(f.description.data or ""),
            f.weight.data if f.weight.data is not None else 1,
            f.scale_max.data if f.scale_max.data is not None else 5,
            f.threshold.data if f.threshold.data is not None else 0,
        )
        for _p, _n, f in kept
    ]
    return inputs, [n for _p, n, _f in kept]


def _stored(text: str) -> str:
    """A built-in text left as shown (in the user's language) is kept as the built-in one,
    so it stays translated; anything else as typed."""
    text = text.strip()
    return next((t for t in DEFAULT_TEXTS if gettext(t) == text), text)


def _show(error, form: CriteriaForm, order: list[int]) -> None:
    """The refusal flashed, each row's problem at its field (rows by their place typed)."""
    flash(edge.message(error), "error")
    for v in getattr(error, "violations", []):
        name, _sep, index = v.field.rpartition("_")
        if v.field == "basis":
            form.basis.errors = [*form.basis.errors, violation_text(v)]
        elif index.isdigit() and int(index) < len(order):
            field = form.rows[order[int(index)]].form[name]
            field.errors = [*field.errors, violation_text(v)]
        else:
            flash(violation_text(v), "error")
