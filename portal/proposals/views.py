"""Proposals: applicants draft and submit; managers read and decide."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.accounts.models import User
from funds.calls import queries as calls_queries
from funds.calls.models import Call
from funds.calls.rules import Stage, call_is_open
from funds.calls.services import call_rules
from funds.clock import utcnow
from funds.errors import NotFound, StaleEdit
from funds.proposals import queries as proposals_queries
from funds.proposals import services as svc
from funds.proposals.models import Proposal
from funds.proposals.permissions import (
    can_apply,
    can_decide,
    can_decide_funding,
    can_edit_proposal,
    can_manage_proposal,
    can_submit_proposal,
    can_withdraw_proposal,
)
from funds.proposals.rules import fiscal_years
from funds.submission import services as submission_svc
from funds.timeline import queries as timeline_queries
from funds.timeline.rules import summary as timeline_summary
from portal import db, edge
from portal.forms import choices
from portal.i18n import format_money
from portal.mfa.reauth import reauth_required
from portal.proposals import confirming, drafting, submitting
from portal.proposals.context import detail_context
from portal.proposals.forms import ActionForm, CopyForm, ProposalForm, decision_form
from portal.proposals.sections import parse_tables
from portal.security import requires
from portal.stages.views import stage_context
from reviews.assignment.permissions import can_assign
from reviews.councils.decisions.queries import selection_council_of
from reviews.rebuttal.permissions import can_respond
from reviews.rebuttal.queries import rebuttal_of
from reviews.reviewing import queries as review_queries

bp = Blueprint("proposals", __name__)


def _load(proposal_id: int) -> Proposal:
    """The proposal if this user may see it, else 404 (existence is not revealed)."""
    try:
        return svc.get_proposal_for(db.session(), proposal_id=proposal_id, actor=current_user)
    except NotFound:
        abort(404)


def _area_choices(call: Call):
    locale = str(current_user.locale or "vi")
    codes = set(calls_queries.call_area_codes(db.session(), call.id))
    rows = [
        a for a in calls_queries.areas(db.session()) if call.open_to_all_areas or a.code in codes
    ]
    return choices(
        [("", _("— none —"))] + [(a.code, f"{a.code} — {a.name_for(locale)}") for a in rows]
    )


def money(proposal: Proposal) -> str:
    return format_money(proposal.requested_vnd, str(current_user.locale or "vi"))


def _values(form: ProposalForm) -> dict:
    """The summary fields the browser sent (an autosave may send only some)."""
    values = drafting.present_values(form)
    if "requested_vnd" in values:
        values["requested_vnd"] = values["requested_vnd"] or 0
    return values


@bp.get("/proposals")
@requires(can_apply)
def mine():
    """The applicant's proposals and the calls open now."""
    s = db.session()
    return render_template(
        "proposals/mine.html",
        rows=proposals_queries.proposals_of_pi(s, current_user.id),
        open_calls=calls_queries.open_calls(s, utcnow()),
        steps={
            pid: timeline_summary(t)
            for pid, t in timeline_queries.timelines_of_pi(
                s, actor=current_user, now=utcnow()
            ).items()
        },
    )


@bp.route("/calls/<int:call_id>/proposals/new", methods=["GET", "POST"])
@requires(can_apply)
def new(call_id: int):
    """Start a draft in an open call."""
    call = db.session().get(Call, call_id) or abort(404)
    form = ProposalForm()
    form.area_code.choices = _area_choices(call)
    years = fiscal_years(call.closes_at, call.max_duration_months)
    tables, errors = parse_tables(request.form, years)
    if form.validate_on_submit() and not errors:
        done = edge.run(
            lambda: svc.create_draft(
                db.session(), actor=current_user, call_id=call.id, **(_values(form) | tables)
            ),
            form=form,
            success=_("Draft saved."),
        )
        if done:
            return redirect(url_for("proposals.edit", proposal_id=done.value.id))
    return drafting.render_form(form, call, None, errors)


@bp.post("/calls/<int:call_id>/proposals/draft")
@requires(can_apply)
def create_by_autosave(call_id: int):
    """The new-proposal page's first autosave: create the draft from what was typed (the
    title may still be empty) and answer with the addresses to continue on."""
    call = db.session().get(Call, call_id) or abort(404)
    sent = [k for k in request.form if k != "title" or request.form[k].strip()]
    form = drafting.partial_form(ProposalForm, sent)
    if "area_code" in sent:
        form.area_code.choices = _area_choices(call)
    years = fiscal_years(call.closes_at, call.max_duration_months)
    tables, errors = parse_tables(request.form, years)
    done = None
    if drafting.validate_present(form) and not errors:
        values = {"title": ""} | _values(form) | tables
        done = edge.run(
            lambda: svc.create_draft(db.session(), actor=current_user, call_id=call.id, **values),
            show=False,
        )
        if done:
            return jsonify(drafting.created_payload(done.value)), 201
        drafting.attach_errors(done.error, form, errors)
    return jsonify(
        saved=False,
        errors=drafting.all_errors(form, errors),
        summary=drafting.error_summary(form, errors),
        message=_("Not saved: correct the marked fields."),
    ), 422


@bp.post("/proposals/<int:proposal_id>/copy")
@requires(can_apply)
def copy(proposal_id: int):
    """Start a new draft in an open call as a copy of an earlier proposal."""
    source = _load(proposal_id)
    form = CopyForm()
    form.call_id.choices = choices(
        (c.id, c.title) for c, _f in calls_queries.open_calls(db.session(), utcnow())
    )
    if not form.validate_on_submit():
        flash(_("Choose an open call."), "error")
        return redirect(url_for("proposals.mine"))
    done = edge.run(
        lambda: svc.copy_proposal(
            db.session(), actor=current_user, proposal_id=source.id, call_id=int(form.call_id.data)
        ),
        success=_("A copy was started as a new draft."),
    )
    if not done:
        return redirect(url_for("proposals.mine"))
    return redirect(url_for("proposals.edit", proposal_id=done.value.id))


def _editable(proposal_id: int) -> Proposal:
    proposal = _load(proposal_id)
    if not can_edit_proposal(proposal, current_user):
        abort(403)
    return proposal


TABLE_PREFIXES = ("wp-", "budget-", "cp-")


def _save(proposal: Proposal, call: Call | None, form: ProposalForm):
    """Validate what was sent and save it; returns (None, None) or (http status, error)."""
    tables, table_errors = parse_tables(
        request.form, fiscal_years(call.closes_at, call.max_duration_months) if call else []
    )
    if not drafting.validate_present(form) or table_errors:
        return 422, table_errors
    values = _values(form) | tables
    done = edge.run(
        lambda: svc.update_draft(
            db.session(),
            actor=current_user,
            proposal_id=proposal.id,
            expected_version=form.version_id.data or 0,
            values=values,
        ),
        show=False,
    )
    if done:
        return None, None
    if isinstance(done.error, StaleEdit):
        if not drafting.wants_json():
            edge.show_error(done.error, form)
        return 409, {}
    drafting.attach_errors(done.error, form, table_errors)
    return 422, table_errors


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    """Edit a draft; a stale save is refused with both versions shown, nothing typed lost."""
    proposal = _editable(proposal_id)
    call = db.session().get(Call, proposal.call_id)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    form.area_code.choices = _area_choices(call)
    if request.method == "POST":
        status, errors = _save(proposal, call, form)
        if status is None:
            flash(_("Draft saved."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
        current = db.session().get(Proposal, proposal_id)
        db.session().refresh(current)
        return drafting.render_form(form, call, current, errors, conflict=status == 409), status
    return drafting.render_form(form, call, proposal, {})


@bp.post("/proposals/<int:proposal_id>/autosave")
@login_required
def autosave(proposal_id: int):
    """Save while typing: JSON in reply; a stale version gets 409 with the saved text."""
    # the hot path of a deadline: load the call and the area list only when they matter
    needs_call = any(
        k in ("area_code", "host_id") or k.startswith(TABLE_PREFIXES) for k in request.form
    )
    if not needs_call:
        fast = _autosave_summary(proposal_id)
        if fast is not None:
            return fast
    proposal = _editable(proposal_id)
    form = ProposalForm()
    call = db.session().get(Call, proposal.call_id) if needs_call else None
    form.area_code.choices = _area_choices(call) if "area_code" in request.form else []
    status, errors = _save(proposal, call, form)
    if status is None:
        return jsonify(
            saved=True,
            proposal_id=proposal.id,
            version_id=proposal.version_id,
            requested_vnd=proposal.requested_vnd,
            message=_("Saved at %(when)s", when=drafting.now_text()),
        )
    if status == 409:
        current = db.session().get(Proposal, proposal_id)
        db.session().refresh(current)
        return jsonify(
            saved=False,
            conflict=drafting.conflict_payload(current),
            message=_("Someone saved this proposal after you opened it."),
        ), 409
    return jsonify(
        saved=False,
        errors=drafting.all_errors(form, errors),
        summary=drafting.error_summary(form, errors),
        message=_("Not saved: correct the marked fields."),
    ), 422


def _autosave_summary(proposal_id: int):
    """The deadline's hot path: summary fields only, one conditional UPDATE and its audit
    entry. Anything unusual (bad input, not this PI's draft, a stale version) returns None
    and the full path answers it, with the precise reason."""
    form = drafting.partial_form(ProposalForm, request.form.keys())
    if not drafting.validate_present(form):
        return None
    values = _values(form)
    if not values:
        return None
    saved = edge.run(
        lambda: svc.save_summary(
            db.session(),
            actor_id=current_user.id,
            proposal_id=proposal_id,
            expected_version=form.version_id.data or 0,
            values=values,
        ),
        show=False,
    ).value
    if saved is None:  # nothing was changed
        return None
    return jsonify(
        saved=True,
        proposal_id=proposal_id,
        version_id=saved.version_id,
        requested_vnd=saved.requested_vnd,
        message=_("Saved at %(when)s", when=drafting.now_text()),
    )


@bp.get("/proposals/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    """One proposal, as its PI or a manager may see it."""
    s = db.session()
    proposal = _load(proposal_id)
    call = s.get(Call, proposal.call_id)
    manager = can_manage_proposal(proposal, current_user)
    decision = proposals_queries.decision_for(s, proposal.id)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        call=call,
        decision=decision,
        pi=s.get(User, proposal.pi_id),
        is_open=call_is_open(call_rules(s, call), utcnow()),
        can_edit=can_edit_proposal(proposal, current_user),
        can_submit=can_submit_proposal(proposal, current_user),
        can_withdraw=can_withdraw_proposal(proposal, current_user),
        can_decide=can_decide(proposal, current_user),
        is_manager=manager,
        manager_reviews=review_queries.reviews_for_manager(s, proposal.id) if manager else [],
        anonymous_reviews=(
            review_queries.anonymous_reviews(s, proposal.id) if decision and not manager else []
        ),
        response=rebuttal_of(s, proposal.id) if can_respond(proposal, current_user) else None,
        can_assign=can_assign(proposal, current_user),
        reviewer_choices=(
            review_queries.available_reviewers(s, proposal)
            if can_assign(proposal, current_user)
            else []
        ),
        action_form=ActionForm(),
        decision_form=decision_form(proposal.stage),
        timeline=timeline_queries.timeline_for(
            s, proposal_id=proposal.id, actor=current_user, now=utcnow()
        ),
        **detail_context(proposal, call),
        **stage_context(proposal),
    )


@bp.post("/proposals/<int:proposal_id>/submit")
@login_required
def submit(proposal_id: int):
    """Submit once (a retry returns the same receipt); refused after the deadline."""
    proposal = _load(proposal_id)
    if not confirming.confirmed():
        return confirming.ask(
            heading=_("Submit the proposal?"),
            question=_(
                "Once submitted, the proposal can no longer be edited unless you reopen it "
                "before the deadline. Submit it now?"
            ),
            button=_("Yes, submit the proposal"),
            back=url_for("proposals.detail", proposal_id=proposal.id),
            keep=("version_id",),
            facts=[(_("Title"), proposal.title), (_("Requested amount"), money(proposal))],
        )
    outcome = submitting.submit_once(proposal, request.form.get("version_id", ""))
    if outcome is None:
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    flash(_("Proposal submitted. Receipt %(receipt)s.", receipt=outcome.receipt_no), "success")
    return redirect(
        url_for("submission.receipt", proposal_id=proposal.id, version_no=outcome.version_no)
    )


@bp.post("/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id: int):
    """Withdraw the submitted version before the deadline (it stays on record)."""
    proposal = _load(proposal_id)
    if not confirming.confirmed():
        return confirming.ask(
            heading=_("Withdraw the proposal?"),
            question=_(
                "A withdrawn proposal is not considered. The submitted version stays on "
                "record. Withdraw it now?"
            ),
            button=_("Yes, withdraw the proposal"),
            back=url_for("proposals.detail", proposal_id=proposal.id),
            facts=[(_("Title"), proposal.title)],
        )
    edge.run(
        lambda: submission_svc.withdraw_proposal(
            db.session(), actor=current_user, proposal_id=proposal.id
        ),
        success=_("Proposal withdrawn."),
    )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/reopen")
@login_required
def reopen(proposal_id: int):
    """Back to draft before the deadline, to submit a new version."""
    proposal = _load(proposal_id)
    edge.run(
        lambda: submission_svc.reopen(db.session(), actor=current_user, proposal_id=proposal.id),
        success=_("The proposal is a draft again; submit it again before the deadline."),
    )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.post("/proposals/<int:proposal_id>/decision")
@requires(can_decide_funding)
@reauth_required
def decide(proposal_id: int):
    """Record the funding decision."""
    proposal = _load(proposal_id)
    if selection_council_of(db.session(), proposal.call_id) is not None:
        flash(
            _(
                "This call has a selection council: the fund decides on the council's "
                "recommendations, citing its signed minutes."
            ),
            "error",
        )
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    form = decision_form(proposal.stage)
    if not form.validate_on_submit():
        flash(
            _("Choose shortlisted or not shortlisted.")
            if proposal.stage == Stage.OUTLINE
            else _("Choose funded or not funded."),
            "error",
        )
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    edge.run(
        lambda: svc.record_decision(
            db.session(),
            actor=current_user,
            proposal_id=proposal.id,
            outcome=form.outcome.data,
            note=form.note.data or "",
        ),
        success=_("Decision recorded."),
    )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
