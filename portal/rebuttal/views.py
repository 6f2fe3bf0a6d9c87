"""The applicant's response: read the anonymised reviews and answer within the period; the
manager opens the period for a call once its external reviews are complete."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.errors import NotFound
from funds.proposals.models import Proposal
from portal import db, edge
from portal.rebuttal.forms import OpenForm, ResponseForm
from portal.security import requires
from reviews.rebuttal import queries
from reviews.rebuttal.permissions import call_allows_response
from reviews.rebuttal.services import open_responses, response_for_applicant, submit_response
from reviews.reviewing.permissions import can_manage_reviews
from reviews.reviewing.queries import anonymous_reviews

bp = Blueprint("rebuttal", __name__)


def _window(proposal_id: int):
    try:
        return response_for_applicant(db.session(), actor=current_user, proposal_id=proposal_id)
    except NotFound:
        abort(404)


def _page(row, form, status=200):
    s = db.session()
    proposal = s.get_one(Proposal, row.proposal_id)
    return (
        render_template(
            "rebuttal/respond.html",
            proposal=proposal,
            row=row,
            reviews=anonymous_reviews(s, proposal.id),
            can_send=row.submitted_at is None
            and queries.window_open(s, row, proposal.call_id, utcnow()),
            form=form,
        ),
        status,
    )


@bp.get("/proposals/<int:proposal_id>/response")
@login_required
def respond(proposal_id: int):
    """The anonymised reviews and the response form (or the response sent)."""
    return _page(_window(proposal_id), ResponseForm())


@bp.post("/proposals/<int:proposal_id>/response")
@login_required
def send(proposal_id: int):
    """Send the response once; a refusal keeps what was typed and says why."""
    row = _window(proposal_id)
    form = ResponseForm()
    if form.validate_on_submit() and edge.run(
        lambda: submit_response(
            db.session(), actor=current_user, proposal_id=proposal_id, text=form.text.data or ""
        ),
        form=form,
        success=_("Your response has been sent to the council."),
    ):
        return redirect(url_for("rebuttal.respond", proposal_id=proposal_id))
    return _page(row, form, status=422)


@bp.post("/review-management/calls/<int:call_id>/responses")
@requires(can_manage_reviews)
def open_period(call_id: int):
    """Open the response period of the call (refused until every review is in)."""
    try:
        get_call_for_manager(db.session(), call_id=call_id, actor=current_user)
    except NotFound:
        abort(404)
    if OpenForm().validate_on_submit():
        _open_once(call_id)
    return redirect(url_for("review_admin.call", call_id=call_id) + "#responses")


def _open_once(call_id: int) -> None:
    """Open through the edge; a manager who lost the race to another (both saw no window,
    the other committed first: one window per proposal) is told it is open, as if they had
    clicked second."""
    try:
        edge.run(
            lambda: open_responses(db.session(), actor=current_user, call_id=call_id),
            success=_("The response period is open; the applicants have been notified."),
        )
    except IntegrityError:
        if not queries.windows_of_call(db.session(), call_id):
            raise
        flash(_("The response period of this call is open already."), "error")


def response_args(s, call) -> dict:
    """The review management page's response section: the period and who answered."""
    windows = queries.windows_of_call(s, call.id)
    return {
        "responses_allowed": call_allows_response(call),
        "responses": windows,
        "responses_answered": sum(1 for w in windows if w.submitted_at is not None),
        "open_responses_form": OpenForm(formdata=None),
    }


def council_response_args(proposal_id: int | None) -> dict:
    """The reviews and the applicant's response, for a council item already checked."""
    if proposal_id is None:
        return {"response": None}
    return {"response": queries.response_view(db.session(), proposal_id)}
