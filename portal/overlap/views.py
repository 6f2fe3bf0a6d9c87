"""The flagged pairs of the funds a manager manages, each pair side by side with its decision,
the national task register's import, and a fund's limits."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from funds.calls.models import Fund
from funds.errors import NotFound
from funds.limits.permissions import can_set_fund_limits
from funds.limits.queries import limits_of
from funds.limits.rules import FUND_SETTINGS
from funds.limits.services import save_fund_limits
from funds.proposals.models import Proposal
from portal import db, edge
from portal.overlap.forms import ActionForm, DecisionForm, LimitsForm, RegisterForm
from portal.security import requires
from reviews.overlap import queries
from reviews.overlap.permissions import can_decide_flag, can_import_register, can_screen_overlaps
from reviews.overlap.register.services import import_register, register_size
from reviews.overlap.services import decide_flag, rescreen_proposal

bp = Blueprint("overlap", __name__, url_prefix="/overlap")


def _managed_funds() -> list[Fund]:
    funds = db.session().exec(select(Fund).order_by(col(Fund.name))).all()
    return [f for f in funds if can_set_fund_limits(f, current_user)]


@bp.get("")
@requires(can_screen_overlaps)
def flags():
    """The pairs with a proposal of the manager's funds, undecided first."""
    undecided = request.args.get("undecided") == "1"
    return render_template(
        "overlap/flags.html",
        rows=queries.flags_for_manager(db.session(), current_user, undecided_only=undecided),
        undecided=undecided,
        funds=_managed_funds(),
        can_import=can_import_register(current_user),
        kind_labels=queries.KIND_LABELS,
    )


@bp.route("/pairs/<int:flag_id>", methods=["GET", "POST"])
@requires(can_screen_overlaps)
def pair(flag_id: int):
    """The two texts side by side, and the decision on the pair."""
    try:
        row = queries.flag_for(db.session(), flag_id, current_user)
    except NotFound:
        abort(404)
    form = DecisionForm(data={"decision": row.flag.decision, "note": row.flag.note})
    if request.method == "POST":
        if not row.can_decide:
            abort(403)
        if form.validate_on_submit() and edge.run(
            lambda: decide_flag(
                db.session(),
                actor=current_user,
                flag_id=flag_id,
                decision=form.decision.data,
                note=form.note.data or "",
            ),
            form=form,
            success=_("The decision on the pair is recorded."),
        ):
            return redirect(url_for("overlap.pair", flag_id=flag_id))
    return render_template(
        "overlap/pair.html", row=row, form=form, kind_labels=queries.KIND_LABELS
    ), (422 if form.errors else 200)


@bp.post("/proposals/<int:proposal_id>/screen")
@requires(can_screen_overlaps)
def screen(proposal_id: int):
    """Screen a proposal again (after a register import, or a changed threshold)."""
    proposal = db.session().get(Proposal, proposal_id)
    if proposal is None or not can_decide_flag(proposal, current_user):
        abort(404)
    if ActionForm().validate_on_submit():
        edge.run(
            lambda: rescreen_proposal(db.session(), actor=current_user, proposal_id=proposal_id),
            success=_("The proposal was compared again with every other."),
        )
    return redirect(url_for("proposals.detail", proposal_id=proposal_id, _anchor="overlaps"))


@bp.route("/register", methods=["GET", "POST"])
@requires(can_import_register)
def register():
    """Import the national task register from CSV; errors listed by line."""
    form, result = RegisterForm(), None
    if form.validate_on_submit():
        data = form.file.data.read()
        outcome = edge.run(
            lambda: import_register(db.session(), actor=current_user, data=data),
            form=form,
        )
        result = outcome.value
    return render_template(
        "overlap/register.html",
        form=form,
        result=result,
        size=register_size(db.session()),
        can_screen=can_screen_overlaps(current_user),
    ), (422 if form.errors else 200)


@bp.route("/funds/<int:fund_id>/limits", methods=["GET", "POST"])
@requires(can_screen_overlaps)
def limits(fund_id: int):
    """The fund's limits per person across funds, and its overlap threshold."""
    fund = db.session().get(Fund, fund_id)
    if fund is None or not can_set_fund_limits(fund, current_user):
        abort(404)
    current = limits_of(db.session(), fund.id)
    form = LimitsForm(data={s.name: getattr(current, s.name) for s in FUND_SETTINGS})
    if form.validate_on_submit() and edge.run(
        lambda: save_fund_limits(
            db.session(),
            actor=current_user,
            fund_id=fund.id,
            values={s.name: getattr(form, s.name).data for s in FUND_SETTINGS},
        ),
        form=form,
        success=_("The fund's limits are saved."),
    ):
        return redirect(url_for("overlap.limits", fund_id=fund.id))
    return render_template("overlap/limits.html", fund=fund, form=form), (
        422 if form.errors else 200
    )
