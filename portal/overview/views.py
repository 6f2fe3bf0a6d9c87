"""The managers' overview page, and reminding a call's reviewers in one action."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.calls.models import Call
from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.errors import NotFound
from portal import db, edge
from portal.bounds import bounded_int
from portal.security import requires
from reviews.overview import queries
from reviews.overview.permissions import can_see_overview
from reviews.overview.rules import LABELS, Stage, Waiting
from reviews.overview.services import MAX_SELECTED, remind_outstanding_reviewers

bp = Blueprint("overview", __name__, url_prefix="/manage")

# where each waiting item is acted on: (endpoint, the URL argument its object id fills, anchor)
WHERE = {
    Waiting.REVIEWS_OVERDUE: ("review_admin.call", "call_id", "reminders"),
    Waiting.ENDORSEMENT_EXPIRED: ("proposals.detail", "proposal_id", None),
    Waiting.CHANGE_TO_DECIDE: ("projects.detail", "award_id", "changes"),
    Waiting.REPORT_TO_EVALUATE: ("projects.detail", "award_id", "reports"),
    Waiting.FINAL_REPORT_TO_EVALUATE: ("projects.detail", "award_id", "final-report"),
    Waiting.CONTRACT_TO_SIGN: ("contracts.page", "contract_id", None),
}


def _link(item) -> str:
    endpoint, arg, anchor = WHERE[item.kind]
    return url_for(endpoint, **{arg: item.object_id}, _anchor=anchor)


@bp.get("/overview")
@requires(can_see_overview)
def dashboard():
    """Counts by stage per call of the funds this manager manages, and what waits for them."""
    overview = queries.overview_for(db.session(), actor=current_user, now=utcnow())
    return render_template(
        "overview/dashboard.html",
        overview=overview,
        stages=[(s.value, LABELS[s]) for s in Stage],
        waiting=[(item, _link(item)) for item in overview.waiting],
    )


def _call(call_id: int) -> Call:
    try:
        return get_call_for_manager(db.session(), call_id=call_id, actor=current_user)
    except NotFound:
        abort(404)


def _named_ids() -> list[int]:
    """The reviewer ids the form names; anything not a whole number in range is left out."""
    ids = []
    for value in request.form.getlist("reviewer")[:MAX_SELECTED]:
        try:
            ids.append(bounded_int(value))
        except ValueError:
            continue
    return ids


@bp.post("/calls/<int:call_id>/reminders/confirm")
@requires(can_see_overview)
def confirm_reminders(call_id: int):
    """The confirmation step: who will be reminded (the ticked reviewers, or every one with
    an overdue review), and how many, before anything is sent."""
    call = _call(call_id)
    outstanding = queries.outstanding_reviewers(
        db.session(), actor=current_user, call_id=call.id, now=utcnow()
    )
    if request.form.get("all_overdue"):
        people = [o for o in outstanding if o.overdue]
    else:
        named = set(_named_ids())
        people = [o for o in outstanding if o.reviewer.id in named]
    return render_template("overview/confirm_reminders.html", call=call, people=people)


@bp.post("/calls/<int:call_id>/reminders")
@requires(can_see_overview)
def send_reminders(call_id: int):
    """Send the confirmed reminders (inbox and e-mail, as each reviewer chose)."""
    call = _call(call_id)
    ids = _named_ids()
    done = edge.run(
        lambda: remind_outstanding_reviewers(
            db.session(), actor=current_user, call_id=call.id, reviewer_ids=ids, now=utcnow()
        )
    )
    if done and done.value:
        flash(
            _(
                "%(people)s reviewers reminded of %(reviews)s reviews.",
                people=done.value.people,
                reviews=done.value.reviews,
            ),
            "success",
        )
    return redirect(url_for("review_admin.call", call_id=call.id, _anchor="reminders"))
