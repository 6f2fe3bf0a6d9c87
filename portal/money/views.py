"""The Money section of a project (its ledger of movements, running balance, the manager's
payments, settlement, refunds and liquidation) and the pages and posts behind it. Every
money action is the fund managers', re-authenticated (portal.mfa.reauth)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.clock import to_local, utcnow
from funds.errors import NotFound
from funds.projects.money import queries
from funds.projects.money import services as money
from funds.projects.money.permissions import money_actions
from funds.projects.money.rules import KIND_LABELS, SpentLine
from funds.projects.permissions import can_manage_projects
from funds.projects.services import managed_project
from portal import db, edge
from portal.edge import message
from portal.forms import parse_vnd
from portal.i18n import format_money
from portal.mfa.reauth import reauth_required
from portal.money.forms import (
    AmountForm,
    ConfirmForm,
    PaymentForm,
    RefundForm,
    SettlementNoteForm,
    TrancheForm,
)
from portal.proposals.sections import budget_label
from portal.security import requires

bp = Blueprint("money", __name__, url_prefix="/projects")


def kind_label(kind: str) -> str:
    """A movement's kind in the user's language."""
    return _(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


def money_context(s, award, proposal, user) -> dict:
    """What the project page's Money section shows this user."""
    today = to_local(utcnow()).date()
    rows = queries.ledger(s, award.id)
    balance = queries.balance(s, award)
    settlement = queries.settlement_of(s, award.id)
    actions = money_actions(
        award,
        proposal,
        user,
        movements=[r.movement for r in rows],
        due_tranches=queries.due_tranche_ids(s, award, today),
        closeout=queries.closeout_of(s, award.id),
        balance=balance,
        settled=settlement is not None,
    )
    this_year = today.year
    return dict(
        money_rows=rows,
        money_balance=balance,
        money_actions=actions,
        money_kind=kind_label,
        settlement=settlement,
        settlement_lines=queries.settlement_lines(s, settlement),
        counterpart=queries.counterpart(s, award),
        allocation=(
            queries.allocation_checks(s, queries.fund_of(s, award), "disbursed", {this_year: 1})[0]
            if actions.any
            else None
        ),
        payment_form=PaymentForm(formdata=None),
        amount_form=AmountForm(formdata=None),
        tranche_form=TrancheForm(formdata=None),
        refund_form=RefundForm(formdata=None, amount_vnd=max(balance.due_vnd, 0) or None)
        if balance
        else RefundForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        budget_label=budget_label,
    )


def _load(award_id: int):
    try:
        return managed_project(db.session(), award_id=award_id, actor=current_user)
    except NotFound:
        abort(404)


def _back(award_id: int):
    return redirect(url_for("projects.detail", award_id=award_id, _anchor="money"))


def _run(award_id: int, form, call, success: str):
    """Validate the form's shape, run the service at the edge, back to the Money section."""
    if form.validate_on_submit():
        edge.run(call, form=form, success=success)
    for name, errors in form.errors.items():
        flash(f"{getattr(form, name).label.text}: {errors[0]}", "error")
    return _back(award_id)


@bp.post("/<int:award_id>/money/advance")
@requires(can_manage_projects)
@reauth_required
def advance(award_id: int):
    """Pay the advance (the fund's share of the contract's state money)."""
    _load(award_id)
    f = PaymentForm()
    return _run(
        award_id,
        f,
        lambda: money.pay_advance(
            db.session(),
            actor=current_user,
            award_id=award_id,
            allocation_override=f.allocation_override.data or "",
        ),
        _("Advance paid."),
    )


@bp.post("/<int:award_id>/money/tranches")
@requires(can_manage_projects)
@reauth_required
def tranche(award_id: int):
    """Plan a tranche tied to a date."""
    _load(award_id)
    f = TrancheForm()
    return _run(
        award_id,
        f,
        lambda: money.plan_tranche(
            db.session(),
            actor=current_user,
            award_id=award_id,
            amount_vnd=f.amount_vnd.data,
            due_on=f.due_on.data,
        ),
        _("Tranche planned."),
    )


@bp.post("/<int:award_id>/money/tranches/<int:movement_id>")
@requires(can_manage_projects)
@reauth_required
def release(award_id: int, movement_id: int):
    """Release a tranche (refused while payments are held)."""
    _load(award_id)
    f = PaymentForm()
    return _run(
        award_id,
        f,
        lambda: money.release_tranche(
            db.session(),
            actor=current_user,
            movement_id=movement_id,
            allocation_override=f.allocation_override.data or "",
        ),
        _("Tranche released."),
    )


def _amount_step(award_id: int, service, done: str):
    """A payment of an amount the manager enters, past the allocation only with a reason."""
    _load(award_id)
    f = AmountForm()
    return _run(
        award_id,
        f,
        lambda: service(
            db.session(),
            actor=current_user,
            award_id=award_id,
            amount_vnd=f.amount_vnd.data,
            allocation_override=f.allocation_override.data or "",
        ),
        done,
    )


@bp.post("/<int:award_id>/money/final")
@requires(can_manage_projects)
@reauth_required
def final(award_id: int):
    """The final payment after an acceptance that passed."""
    return _amount_step(award_id, money.record_final_payment, _("Final payment recorded."))


@bp.post("/<int:award_id>/money/adjustment")
@requires(can_manage_projects)
@reauth_required
def adjustment(award_id: int):
    """Pay what the settlement finds the fund still owes."""
    return _amount_step(award_id, money.pay_settlement_adjustment, _("Settlement adjustment paid."))


@bp.post("/<int:award_id>/money/refund")
@requires(can_manage_projects)
@reauth_required
def refund(award_id: int):
    """Record a refund received from the host or the PI."""
    _load(award_id)
    f = RefundForm()
    return _run(
        award_id,
        f,
        lambda: money.record_refund(
            db.session(),
            actor=current_user,
            award_id=award_id,
            amount_vnd=f.amount_vnd.data,
            payer=f.payer.data,
            reason=f.reason.data or "",
        ),
        _("Refund recorded."),
    )


@bp.post("/<int:award_id>/money/liquidate")
@requires(can_manage_projects)
@reauth_required
def liquidate(award_id: int):
    """Liquidate the contract (refused with the figures unless the balance is zero)."""
    _load(award_id)
    return _run(
        award_id,
        ConfirmForm(),
        lambda: money.liquidate(db.session(), actor=current_user, award_id=award_id),
        _("Contract liquidated."),
    )


@bp.route("/<int:award_id>/money/settlement", methods=["GET", "POST"])
@requires(can_manage_projects)
@reauth_required
def settlement(award_id: int):
    """The settlement form: what was spent on each approved line, with explanations; a
    refused form comes back with what was typed and each error at its line."""
    award, proposal = _load(award_id)
    s = db.session()
    lines = queries.budget_lines(s, award.id)
    known = {
        (x.category, x.fiscal_year, x.source): x
        for x in queries.settlement_lines(s, queries.settlement_of(s, award.id))
    }
    typed = {
        i: (
            request.form.get(f"spent-{i}", "") if request.method == "POST" else _shown(known, b),
            request.form.get(f"explain-{i}", "")
            if request.method == "POST"
            else getattr(known.get((b.category, b.fiscal_year, b.source)), "explanation", ""),
        )
        for i, b in enumerate(lines)
    }
    form, errors = SettlementNoteForm(), {}
    if request.method == "POST" and form.validate_on_submit():
        spent, errors = _read(lines, typed)
        if not errors:
            done = edge.run(
                lambda: money.settle_accounts(
                    s, actor=current_user, award_id=award.id, lines=spent, note=form.note.data or ""
                ),
                show=False,
            )
            if done:
                flash(_("Settlement recorded."), "success")
                return _back(award.id)
            errors = _errors_of(done.error)
    return render_template(
        "money/settlement.html",
        award=award,
        proposal=proposal,
        lines=lines,
        typed=typed,
        errors=errors,
        form=form,
        budget_label=budget_label,
    )


def _shown(known, line) -> str:
    row = known.get((line.category, line.fiscal_year, line.source))
    return str(row.spent_vnd) if row else ""


def _read(lines, typed):
    spent, errors = [], {}
    for i, b in enumerate(lines):
        try:
            amount = parse_vnd(typed[i][0])
        except ValueError as exc:
            errors[i] = str(exc)
            continue
        spent.append(SpentLine(b.category, b.fiscal_year, b.source, amount, typed[i][1]))
    return spent, errors


def _errors_of(exc) -> dict:
    """The refusal's violations by line number ('lines-3'), the rest under -1."""
    found: dict = {}
    for v in getattr(exc, "violations", []):
        key = int(v.field.split("-")[1]) if v.field.startswith("lines-") else -1
        shown = {k: format_money(x) if k.endswith("_vnd") else x for k, x in v.params.items()}
        found[key] = _(v.message, **shown)
    if not found:
        found[-1] = message(exc)
    return found
