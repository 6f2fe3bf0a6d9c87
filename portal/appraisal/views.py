"""The appraisal of a funded proposal: the manager opens it and appoints appraisers, the
appraisers go through the work plan and the budget line by line, the PI accepts or answers
each change, the manager approves it (re-authenticated). One page shows every line side by
side: submitted | proposed | approved."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import col, select

from funds.accounts.models import Role, User, UserRole
from funds.appraisal import queries
from funds.appraisal import services as svc
from funds.appraisal.permissions import appraisal_actions
from funds.appraisal.rules import ACCEPTED, ANSWERED
from funds.contracts import queries as contract_queries
from funds.errors import NotFound
from portal import db, edge
from portal.appraisal.forms import (
    AppointForm,
    ApproveForm,
    CsrfForm,
    read_answers,
    read_budget,
    read_kept,
    read_work,
)
from portal.forms import choices
from portal.mfa.reauth import reauth_required
from portal.proposals.sections import budget_label
from reviews.appraisal.services import appoint_appraiser

bp = Blueprint("appraisal", __name__, url_prefix="/appraisal")


def _load(appraisal_id: int) -> svc.AppraisalAccess:
    try:
        return svc.get_appraisal_for(db.session(), actor=current_user, appraisal_id=appraisal_id)
    except NotFound:
        abort(404)


def _candidates(found: svc.AppraisalAccess):
    """Reviewers and fund staff who may be appointed (the conflict checks come after)."""
    s = db.session()
    taken = set(queries.appraiser_ids(s, found.appraisal.id)) | {found.proposal.pi_id}
    users = s.exec(
        select(User)
        .join(UserRole, col(UserRole.user_id) == User.id)
        .where(col(UserRole.role).in_([Role.REVIEWER, Role.MANAGER]), col(User.is_active))
        .order_by(User.name)
    ).all()
    seen = {u.id: u for u in users if u.id not in taken}
    return choices((u.id, f"{u.name} — {u.institution}") for u in seen.values())


def _changed_keys(appraisal_id: int) -> list[tuple[str, int]]:
    s = db.session()
    return [("budget", r.line.id) for r in queries.budget_rows(s, appraisal_id) if r.changed] + [
        ("work", r.line.id) for r in queries.work_rows(s, appraisal_id) if r.changed
    ]


def _page(appraisal_id: int, *, typed=None, errors=None, status: int = 200):
    """The appraisal page; a refused post comes back with what was typed and its messages."""
    s, found = db.session(), _load(appraisal_id)
    appraisal, proposal = found.appraisal, found.proposal
    appoint = AppointForm(formdata=None)
    appoint.user_id.choices = _candidates(found)
    contract = contract_queries.live_contract(s, proposal.id)
    budget = queries.budget_rows(s, appraisal.id)
    return render_template(
        "appraisal/page.html",
        appraisal=appraisal,
        proposal=proposal,
        actions=appraisal_actions(appraisal, proposal, current_user, appointed=found.appointed),
        appraisers=[s.get(User, i) for i in queries.appraiser_ids(s, appraisal.id)],
        budget=budget,
        work=queries.work_rows(s, appraisal.id),
        totals={
            "submitted": sum(r.line.submitted_vnd for r in budget),
            "proposed": sum(r.proposed_vnd for r in budget),
            "approved": sum(r.approved_vnd for r in budget),
        },
        budget_label=budget_label,
        appoint_form=appoint,
        approve_form=ApproveForm(formdata=None),
        csrf_form=CsrfForm(formdata=None),
        typed=typed or {},
        errors=errors or {},
        contract=contract,
        response_label=lambda r: _("Accepted") if r == ACCEPTED else _("Answered"),
        disputed=lambda line: line.response == ANSWERED,
    ), status


@bp.post("/proposals/<int:proposal_id>/open")
@login_required
def open_for(proposal_id: int):
    """The fund opens the appraisal of a funded proposal (or goes to the one open)."""
    if not CsrfForm().validate_on_submit():
        abort(400)
    done = edge.run(
        lambda: svc.open_appraisal(db.session(), actor=current_user, proposal_id=proposal_id),
        show=False,
    )
    if not done:
        abort(404)
    return redirect(url_for("appraisal.page", appraisal_id=done.value.id))


@bp.get("/<int:appraisal_id>")
@login_required
def page(appraisal_id: int):
    return _page(appraisal_id)


@bp.post("/<int:appraisal_id>/appoint")
@login_required
def appoint(appraisal_id: int):
    """Appoint an appraiser, refused with the conflict's reasons."""
    _load(appraisal_id)
    form = AppointForm()
    form.user_id.choices = choices([(request.form.get("user_id", "0") or "0", "")])
    if form.validate_on_submit():
        edge.run(
            lambda: appoint_appraiser(
                db.session(),
                actor=current_user,
                appraisal_id=appraisal_id,
                user_id=form.user_id.data,
            ),
            success=_("Appraiser appointed."),
        )
    return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))


@bp.post("/<int:appraisal_id>/lines")
@login_required
def save(appraisal_id: int):
    """The appraisers' proposals line by line, each change with its reason."""
    found = _load(appraisal_id)
    if not CsrfForm().validate_on_submit():
        abort(400)
    s = db.session()
    budget, errors = read_budget(request.form, queries.budget_lines(s, found.appraisal.id))
    work, work_errors = read_work(request.form, queries.work_lines(s, found.appraisal.id))
    errors |= work_errors
    if not errors and edge.run(
        lambda: svc.save_appraisal(
            db.session(), actor=current_user, appraisal_id=appraisal_id, budget=budget, work=work
        ),
        success=_("The appraisal is saved."),
    ):
        return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))
    return _page(appraisal_id, typed=request.form, errors=errors, status=400)


@bp.post("/<int:appraisal_id>/send")
@login_required
def send(appraisal_id: int):
    """To the PI, who accepts or answers each proposed change."""
    _load(appraisal_id)
    if CsrfForm().validate_on_submit():
        edge.run(
            lambda: svc.send_to_pi(db.session(), actor=current_user, appraisal_id=appraisal_id),
            success=_("The appraisal was sent to the principal investigator."),
        )
    return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))


@bp.post("/<int:appraisal_id>/answer")
@login_required
def answer(appraisal_id: int):
    """The PI's answers, one per proposed change."""
    _load(appraisal_id)
    if not CsrfForm().validate_on_submit():
        abort(400)
    answers = read_answers(request.form, _changed_keys(appraisal_id))
    if edge.run(
        lambda: svc.answer_appraisal(
            db.session(), actor=current_user, appraisal_id=appraisal_id, answers=answers
        ),
        success=_("Your answers were sent to the fund."),
    ):
        return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))
    return _page(appraisal_id, typed=request.form, status=400)


@bp.post("/<int:appraisal_id>/approve")
@login_required
@reauth_required
def approve(appraisal_id: int):
    """The fund approves: the approved lines become the contract's annexes."""
    _load(appraisal_id)
    form = ApproveForm()
    if form.validate_on_submit():
        kept = read_kept(request.form, _changed_keys(appraisal_id))
        edge.run(
            lambda: svc.approve_appraisal(
                db.session(),
                actor=current_user,
                appraisal_id=appraisal_id,
                keep_submitted=kept,
                conclusion=form.conclusion.data or "",
            ),
            success=_("The appraisal is approved."),
        )
    return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))


@bp.post("/<int:appraisal_id>/reopen")
@login_required
def reopen(appraisal_id: int):
    """Another round: back to the appraisers with the PI's answers."""
    _load(appraisal_id)
    if CsrfForm().validate_on_submit():
        edge.run(
            lambda: svc.reopen_appraisal(
                db.session(), actor=current_user, appraisal_id=appraisal_id
            ),
            success=_("The appraisal is back with the appraisers for another round."),
        )
    return redirect(url_for("appraisal.page", appraisal_id=appraisal_id))
