"""Funds and calls: managers run them, applicants browse open calls."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.accounts.permissions import can_administer
from funds.calls import managers as fund_managers
from funds.calls import queries as calls_queries
from funds.calls.models import Call, Fund
from funds.calls.permissions import (
    can_assign_fund_managers,
    can_create_fund,
    can_manage_call,
    can_manage_funds,
    manages_fund,
)
from funds.calls.rules import call_is_open
from funds.calls.services import call_rules, create_call, create_fund, get_call_for_manager
from funds.clock import utcnow
from funds.errors import NotFound
from funds.hosts.queries import endorsements_by_proposal
from funds.proposals import queries as proposals_queries
from funds.proposals.permissions import can_apply
from funds.proposals.rules import FILED_STATES, PROPOSAL
from portal import db, edge
from portal.calls import submissions as subs
from portal.calls.forms import CallForm, FundForm, FundManagerForm
from portal.calls.submissions import settings_from
from portal.forms import choices
from portal.jobs.runners import SUBMISSIONS_ZIP
from portal.jobs.runners import start as start_job
from portal.mfa.reauth import reauth_required
from portal.security import requires
from portal.states import state_options

bp = Blueprint("calls", __name__)


@bp.get("/manage")
@requires(can_manage_funds)
def manage():
    """The funds a manager manages and their calls; administrators see every fund."""
    s = db.session()
    managed = calls_queries.managed_fund_ids(s, current_user)
    shown = None if can_administer(current_user) else managed
    return render_template(
        "calls/manage.html",
        funds=calls_queries.funds_with_calls(s, fund_ids=shown),
        managed=set(managed),
        now=utcnow(),
    )


@bp.route("/funds/new", methods=["GET", "POST"])
@requires(can_create_fund)
def new_fund():
    form = FundForm()
    if form.validate_on_submit() and edge.run(
        lambda: create_fund(
            db.session(),
            actor=current_user,
            code=form.code.data,
            name=form.name.data,
            description=form.description.data or "",
        ),
        form=form,
        success=_("Fund created."),
    ):
        return redirect(url_for("calls.manage"))
    return render_template("calls/fund_form.html", form=form)


def _fund(fund_id: int) -> Fund:
    try:
        return fund_managers.get_fund_for(db.session(), fund_id=fund_id, actor=current_user)
    except NotFound:
        abort(404)


@bp.get("/funds/<int:fund_id>")
@requires(can_manage_funds)
def fund(fund_id: int):
    """A fund: its calls and its managers (administrators add and remove them)."""
    s, fund = db.session(), _fund(fund_id)
    can_assign = can_assign_fund_managers(current_user)
    form = FundManagerForm()
    form.user_id.choices = choices(
        (u.id, f"{u.name} <{u.email}>") for u in fund_managers.manager_candidates(s, fund.id)
    )
    return render_template(
        "calls/fund.html",
        fund=fund,
        form=form,
        can_assign=can_assign,
        calls=calls_queries.funds_with_calls(s, fund_ids=[fund.id])[0][1],
        managers=fund_managers.managers_of(s, fund.id),
        can_open_call=manages_fund(current_user, fund),
    )


@bp.post("/funds/<int:fund_id>/managers")
@requires(can_assign_fund_managers)
@reauth_required
def add_manager(fund_id: int):
    """An administrator makes a manager one of the fund's managers."""
    fund = _fund(fund_id)
    form = FundManagerForm()
    form.user_id.choices = choices(
        (u.id, u.name) for u in fund_managers.manager_candidates(db.session(), fund.id)
    )
    if not form.validate_on_submit():
        flash(_("Choose a manager from the list."), "error")
        return redirect(url_for("calls.fund", fund_id=fund.id))
    edge.run(
        lambda: fund_managers.add_fund_manager(
            db.session(), actor=current_user, fund_id=fund.id, user_id=form.user_id.data
        ),
        success=_("Manager added; their access to this fund starts now."),
    )
    return redirect(url_for("calls.fund", fund_id=fund.id))


@bp.post("/funds/<int:fund_id>/managers/<int:user_id>/remove")
@requires(can_assign_fund_managers)
@reauth_required
def remove_manager(fund_id: int, user_id: int):
    """An administrator removes a manager from the fund."""
    fund = _fund(fund_id)
    edge.run(
        lambda: fund_managers.remove_fund_manager(
            db.session(), actor=current_user, fund_id=fund.id, user_id=user_id
        ),
        success=_("Manager removed; their access to this fund has ended."),
    )
    return redirect(url_for("calls.fund", fund_id=fund.id))


def _area_choices():
    locale = str(current_user.locale or "vi")
    return choices(
        (a.code, f"{a.code} — {a.name_for(locale)}") for a in calls_queries.areas(db.session())
    )


@bp.route("/funds/<int:fund_id>/calls/new", methods=["GET", "POST"])
@requires(can_manage_funds)
def new_call(fund_id: int):
    """Open a call in a fund the manager manages."""
    fund = db.session().get(Fund, fund_id)
    if fund is None or not manages_fund(current_user, fund):
        abort(404)
    form = CallForm()
    form.area_codes.choices = _area_choices()
    if form.validate_on_submit():
        done = edge.run(
            lambda: create_call(
                db.session(),
                actor=current_user,
                fund_id=fund.id,
                title=form.title.data,
                description=form.description.data or "",
                opens_at=form.opens_at.data,
                closes_at=form.closes_at.data,
                ceiling_vnd=form.ceiling_vnd.data,
                budget_vnd=form.budget_vnd.data,
                area_codes=form.area_codes.data,
                full_closes_at=form.full_closes_at.data,
                **settings_from(form),
            ),
            form=form,
            success=_("Call created."),
        )
        if done:
            return redirect(url_for("calls.detail", call_id=done.value.id))
    return render_template("calls/call_form.html", form=form, fund=fund)


@bp.get("/calls")
@login_required
def open_list():
    """Calls open for proposals now."""
    return render_template(
        "calls/open_list.html", rows=calls_queries.open_calls(db.session(), utcnow())
    )


@bp.get("/calls/<int:call_id>")
@login_required
def detail(call_id: int):
    """A call: its rules for everyone; its submissions for managers."""
    s = db.session()
    call = s.get(Call, call_id) or abort(404)
    manager = can_manage_call(call, current_user)
    return render_template(
        "calls/detail.html",
        call=call,
        fund=s.get(Fund, call.fund_id),
        area_codes=calls_queries.call_area_codes(s, call.id),
        is_open=call_is_open(call_rules(s, call), utcnow()),
        can_apply=can_apply(current_user),
        is_manager=manager,
        rows=proposals_queries.proposals_of_call(s, call.id) if manager else [],
        counts=proposals_queries.count_by_status(s, call.id) if manager else {},
    )


def _managed_call(call_id: int) -> Call:
    """The call if the user manages its fund, else 404 (as for a call that is not there)."""
    try:
        return get_call_for_manager(db.session(), call_id=call_id, actor=current_user)
    except NotFound:
        abort(404)


@bp.get("/calls/<int:call_id>/submissions")
@requires(can_manage_funds)
def submissions(call_id: int):
    """Submissions of a call with filters and search."""
    call = _managed_call(call_id)
    rows = subs.rows_for(call, current_user)
    return render_template(
        "calls/submissions.html",
        call=call,
        rows=rows,
        filters=subs.filters(),
        areas=calls_queries.areas(db.session()),
        status_options=state_options(PROPOSAL, FILED_STATES, subs.filters()["status"]),
        endorsements=endorsements_by_proposal(db.session(), [r.proposal.id for r in rows]),
    )


@bp.post("/calls/<int:call_id>/submissions.zip")
@requires(can_manage_funds)
@reauth_required
def submissions_zip(call_id: int):
    """Start a job that puts the PDFs of the (filtered) submissions in one zip; its page
    shows the progress and then the download."""
    call = _managed_call(call_id)
    params = {"call_id": call.id, "filters": subs.filters()}
    done = edge.run(
        lambda: start_job(
            db.session(),
            actor=current_user,
            kind=SUBMISSIONS_ZIP,
            params=params,
            fund_id=call.fund_id,
        )
    )
    if not done:
        return redirect(url_for("calls.submissions", call_id=call.id, **subs.filters()))
    return redirect(url_for("jobs.show", job_id=done.value.id))


@bp.get("/calls/<int:call_id>/submissions.xlsx")
@requires(can_manage_funds)
@reauth_required
def submissions_xlsx(call_id: int):
    """Submissions, budgets and counterpart funding: one sheet each."""
    call = _managed_call(call_id)
    return subs.excel_response(call, subs.rows_for(call, current_user))


@bp.get("/calls/<int:call_id>/<any(submissions, budgets, counterparts):table>.csv")
@requires(can_manage_funds)
@reauth_required
def submissions_csv(call_id: int, table: str):
    """One table as CSV (UTF-8 with a byte-order mark for spreadsheet programs)."""
    call = _managed_call(call_id)
    return subs.csv_response(call, subs.rows_for(call, current_user), table)
