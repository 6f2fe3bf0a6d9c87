"""Proposals: applicants draft and submit; managers read and decide."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds import queries
from funds.clock import utcnow
from funds.errors import DomainError, NotFound, StaleEdit
from funds.models.accounts import Role, User
from funds.models.calls import Call
from funds.models.proposals import Proposal
from funds.permissions import (
    can_decide, can_edit_proposal, can_submit_proposal, can_withdraw_proposal, is_manager,
)
from funds.services import proposals as svc
from funds.services.calls import call_rules
from funds.rules import call_is_open
from reviews import queries as review_queries
from reviews.permissions import can_assign

from portal import db
from portal.forms import choices, show_domain_error
from portal.proposals.forms import ActionForm, DecisionForm, ProposalForm
from portal.security import role_required

bp = Blueprint("proposals", __name__)


def _load(proposal_id: int) -> Proposal:
    """The proposal if this user may see it, else 404 (existence is not revealed)."""
    try:
        return svc.get_proposal_for(db.session(), proposal_id=proposal_id, actor=current_user)
    except NotFound:
        abort(404)


def _area_choices(call: Call):
    locale = str(current_user.locale or "vi")
    codes = set(queries.call_area_codes(db.session(), call.id))
    rows = [a for a in queries.areas(db.session()) if call.open_to_all_areas or a.code in codes]
    return choices([("", _("— none —"))] + [(a.code, f"{a.code} — {a.name_for(locale)}") for a in rows])


def _values(form: ProposalForm) -> dict:
    return {"title": form.title.data, "abstract": form.abstract.data or "",
            "area_code": form.area_code.data or None,
            "requested_vnd": form.requested_vnd.data or 0}


@bp.get("/proposals")
@role_required(Role.APPLICANT)
def mine():
    """The applicant's proposals and the calls open now."""
    s = db.session()
    return render_template("proposals/mine.html", rows=queries.proposals_of_pi(s, current_user.id),
                           open_calls=queries.open_calls(s, utcnow()))


@bp.route("/calls/<int:call_id>/proposals/new", methods=["GET", "POST"])
@role_required(Role.APPLICANT)
def new(call_id: int):
    """Start a draft in an open call."""
    call = db.session().get(Call, call_id) or abort(404)
    form = ProposalForm()
    form.area_code.choices = _area_choices(call)
    if form.validate_on_submit():
        try:
            proposal = svc.create_draft(db.session(), actor=current_user, call_id=call.id,
                                        **_values(form))
            db.commit()
        except DomainError as exc:
            db.session().rollback()
            show_domain_error(exc, form)
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, call=call, proposal=None)


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    """Edit a draft; a stale save is refused with both versions shown."""
    proposal = _load(proposal_id)
    if not can_edit_proposal(proposal, current_user):
        abort(403)
    call = db.session().get(Call, proposal.call_id)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    form.area_code.choices = _area_choices(call)
    if form.validate_on_submit():
        try:
            svc.update_draft(db.session(), actor=current_user, proposal_id=proposal.id,
                             expected_version=form.version_id.data or 0, values=_values(form))
            db.commit()
        except StaleEdit as exc:
            db.session().rollback()
            show_domain_error(exc, form)
            current = db.session().get(Proposal, proposal_id)
            return render_template("proposals/form.html", form=form, call=call,
                                   proposal=current, conflict=current), 409
        except DomainError as exc:
            db.session().rollback()
            show_domain_error(exc, form)
        else:
            flash(_("Draft saved."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/form.html", form=form, call=call, proposal=proposal)


@bp.get("/proposals/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    """One proposal, as its PI or a manager may see it."""
    s = db.session()
    proposal = _load(proposal_id)
    call = s.get(Call, proposal.call_id)
    manager = is_manager(current_user)
    decision = queries.decision_for(s, proposal.id)
    return render_template(
        "proposals/detail.html", proposal=proposal, call=call, decision=decision,
        pi=s.get(User, proposal.pi_id),
        is_open=call_is_open(call_rules(s, call), utcnow()),
        can_edit=can_edit_proposal(proposal, current_user),
        can_submit=can_submit_proposal(proposal, current_user),
        can_withdraw=can_withdraw_proposal(proposal, current_user),
        can_decide=can_decide(proposal, current_user), is_manager=manager,
        manager_reviews=review_queries.reviews_for_manager(s, proposal.id) if manager else [],
        anonymous_reviews=(review_queries.anonymous_reviews(s, proposal.id)
                           if decision and not manager else []),
        can_assign=can_assign(proposal, current_user),
        reviewer_choices=(review_queries.available_reviewers(s, proposal)
                          if can_assign(proposal, current_user) else []),
        action_form=ActionForm(), decision_form=DecisionForm(),
    )


def _act(proposal_id: int, service, done_message: str):
    proposal = _load(proposal_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service(db.session(), actor=current_user, proposal_id=proposal.id)
        db.commit()
        flash(done_message, "success")
    except DomainError as exc:
        db.session().rollback()
        show_domain_error(exc)
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    """Submit the draft (refused after the call closes, by server time)."""
    return _act(proposal_id, svc.submit_proposal, _("Proposal submitted."))


@bp.post("/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    return _act(proposal_id, svc.withdraw_proposal, _("Proposal withdrawn."))


@bp.post("/proposals/<int:proposal_id>/decision")
@role_required(Role.MANAGER, Role.ADMIN)
def decide(proposal_id: int):
    """Record the funding decision."""
    proposal = _load(proposal_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose funded or not funded."), "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    try:
        svc.record_decision(db.session(), actor=current_user, proposal_id=proposal.id,
                            outcome=form.outcome.data, note=form.note.data or "")
        db.commit()
        flash(_("Decision recorded."), "success")
    except DomainError as exc:
        db.session().rollback()
        show_domain_error(exc)
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
