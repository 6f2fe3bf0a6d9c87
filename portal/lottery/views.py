"""The manager commits a seed and draws; everyone who may see the ranking replays it."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.calls.services import get_call_for_manager
from funds.errors import NotFound
from funds.proposals.models import Proposal
from portal import db, edge
from portal.lottery.forms import LotteryForm
from portal.mfa.reauth import reauth_required
from portal.security import requires
from reviews.consolidation.lottery import queries
from reviews.consolidation.lottery.permissions import lottery_enabled
from reviews.consolidation.lottery.services import commit_seed, current_plan, draw_lottery
from reviews.reviewing.permissions import can_manage_reviews

bp = Blueprint("lottery", __name__, url_prefix="/review-management/calls/<int:call_id>/lottery")


def _call(call_id: int):
    try:
        return get_call_for_manager(db.session(), call_id=call_id, actor=current_user)
    except NotFound:
        abort(404)


def _back(call_id: int):
    return redirect(url_for("review_admin.call", call_id=call_id) + "#lottery")


def lottery_args(s, call) -> dict:
    """The review management page's lottery section: before a commitment the would-be
    group, then the commitment, then the draw."""
    if not lottery_enabled(call):
        return {"lottery_on": False}
    view = queries.lottery_view(s, call.id)
    plan = current_plan(s, call) if view is None or not view.drawn else None
    return {
        "lottery_on": True,
        "lottery": view,
        "plan": plan,
        "plan_members": queries.plan_members(s, plan) if plan else [],
        "lottery_form": LotteryForm(formdata=None),
    }


def council_lottery_args(proposal_id: int | None) -> dict:
    """The lottery of the item's call, for a council member already checked to sit on it."""
    if proposal_id is None:
        return {"lottery": None}
    s = db.session()
    proposal = s.get(Proposal, proposal_id)
    return {"lottery": queries.lottery_view(s, proposal.call_id) if proposal else None}


@bp.post("/commit")
@requires(can_manage_reviews)
@reauth_required
def commit(call_id: int):
    """Commit a secret seed: its SHA-256 and time are published before any draw."""
    _call(call_id)
    if LotteryForm().validate_on_submit():
        edge.run(
            lambda: commit_seed(db.session(), actor=current_user, call_id=call_id),
            success=_("The seed is committed: its SHA-256 is published; the draw may follow."),
        )
    return _back(call_id)


@bp.post("/draw")
@requires(can_manage_reviews)
@reauth_required
def draw(call_id: int):
    """Draw with the committed seed and reveal it."""
    _call(call_id)
    if LotteryForm().validate_on_submit():
        edge.run(
            lambda: draw_lottery(db.session(), actor=current_user, call_id=call_id),
            success=_("The lottery is drawn and its seed revealed."),
        )
    return _back(call_id)


@bp.get("/")
@requires(can_manage_reviews)
def replay(call_id: int):
    """The lottery in full, and its replay recomputed here from the revealed seed."""
    call = _call(call_id)
    view = queries.lottery_view(db.session(), call.id)
    if view is None:
        abort(404)
    return render_template("lottery/replay.html", call=call, lottery=view)
