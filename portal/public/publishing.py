"""Publishing settings for fund managers: which optional fields each fund publishes, and the
API tokens that open a fund's non-public data (shown once, revocable)."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select

from funds.accounts.permissions import can_administer
from funds.calls.models import Fund
from funds.publication import queries
from funds.publication import services as svc
from funds.publication.models import ApiToken
from funds.publication.permissions import can_manage_tokens, can_set_publication
from funds.publication.rules import OPTIONAL_FIELDS
from portal import db, edge
from portal.letters.forms import CsrfForm
from portal.public.forms import FIELD_LABELS, SCOPE_LABELS, TokenForm, fields_form
from portal.security import requires

bp = Blueprint("publishing", __name__, url_prefix="/publishing")


def _managed_funds() -> list[Fund]:
    funds = db.session().exec(select(Fund).order_by(col(Fund.name))).all()
    return [f for f in funds if can_set_publication(current_user, f)]


@bp.route("/fields", methods=["GET", "POST"])
@requires(can_manage_tokens)
def fields():
    """The optional fields a fund publishes, with the reason for each default."""
    funds = _managed_funds()
    fund_id = request.args.get("fund_id", type=int) or (funds[0].id if funds else None)
    fund = next((f for f in funds if f.id == fund_id), None)
    chosen = queries.fund_fields(db.session(), [fund.id])[fund.id] if fund else frozenset()
    form = fields_form(chosen, formdata=request.form if request.method == "POST" else None)
    if fund and request.method == "POST" and form.validate():
        picked = [f.name for f in OPTIONAL_FIELDS if getattr(form, f.name).data]
        if edge.run(
            lambda: svc.set_public_fields(
                db.session(), actor=current_user, fund_id=fund.id, fields=picked
            ),
            success=_("The fund's public fields are saved."),
        ):
            return redirect(url_for("publishing.fields", fund_id=fund.id))
    return render_template(
        "public/fields.html", funds=funds, fund=fund, form=form, specs=OPTIONAL_FIELDS,
        labels=FIELD_LABELS,
    )  # fmt: skip


@bp.route("/tokens", methods=["GET", "POST"])
@requires(can_manage_tokens)
def tokens():
    """Tokens of the funds one manages (administrators: every token, to revoke)."""
    funds = _managed_funds()
    form = TokenForm()
    form.fund_id.choices = [(f.id, f.name) for f in funds]
    shown = None
    if funds and form.validate_on_submit():
        done = edge.run(
            lambda: svc.create_token(
                db.session(),
                actor=current_user,
                fund_id=form.fund_id.data,
                name=form.name.data,
                scope=form.scope.data,
                days=form.days.data,
            ),
            form=form,
        )
        if done:
            shown = done.value[1]  # the only time the token is shown
    stmt = select(ApiToken, Fund).join(Fund, col(Fund.id) == ApiToken.fund_id)
    if not can_administer(current_user):
        stmt = stmt.where(ApiToken.owner_id == current_user.id)
    rows = db.session().exec(stmt.order_by(col(ApiToken.id).desc())).all()
    return render_template(
        "public/tokens.html", form=form, rows=rows, shown=shown, scopes=SCOPE_LABELS,
        can_create=bool(funds), revoke_form=CsrfForm(),
    )  # fmt: skip


@bp.post("/tokens/<int:token_id>/revoke")
@requires(can_manage_tokens)
def revoke(token_id: int):
    """The token stops working at once."""
    if not CsrfForm().validate_on_submit():
        abort(400)
    edge.run(
        lambda: svc.revoke_token(db.session(), actor=current_user, token_id=token_id),
        success=_("The token is revoked."),
    )
    return redirect(url_for("publishing.tokens"))
