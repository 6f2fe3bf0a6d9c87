"""Reviews: reviewers score their assigned proposals; managers assign reviewers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.errors import DomainError, NotFound
from funds.models.accounts import Role
from funds.models.calls import Call
from funds.models.proposals import Proposal
from reviews import queries
from reviews.models import Review
from reviews.permissions import can_review
from reviews.services import assign_reviewer, get_assignment_for, save_review
from sqlmodel import select

from portal import db
from portal.forms import choices, show_domain_error
from portal.reviews.forms import AssignForm, ReviewForm
from portal.security import role_required

bp = Blueprint("reviews", __name__)


@bp.get("/reviews")
@role_required(Role.REVIEWER)
def mine():
    """The reviewer's assignments, and nothing else."""
    return render_template("reviews/mine.html",
                           rows=queries.assignments_for_reviewer(db.session(), current_user.id))


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def review(assignment_id: int):
    """Read the assigned proposal, save or submit the review."""
    s = db.session()
    try:
        assignment = get_assignment_for(s, assignment_id=assignment_id, actor=current_user)
    except NotFound:
        abort(404)
    proposal = s.get(Proposal, assignment.proposal_id)
    existing = s.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    form = ReviewForm(obj=existing if request.method == "GET" else None)
    editable = can_review(assignment, current_user)
    if editable and form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        try:
            save_review(s, actor=current_user, assignment_id=assignment.id,
                        score=form.score.data, comment=form.comment.data or "", submit=submit,
                        expected_version=form.version_id.data)
            db.commit()
        except DomainError as exc:
            s.rollback()
            show_domain_error(exc, form)
        else:
            flash(_("Review submitted.") if submit else _("Review saved."), "success")
            return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return render_template("reviews/review.html", assignment=assignment, proposal=proposal,
                           call=s.get(Call, proposal.call_id), form=form, review=existing,
                           editable=editable)


@bp.post("/proposals/<int:proposal_id>/reviewers")
@role_required(Role.MANAGER, Role.ADMIN)
def assign(proposal_id: int):
    """A manager assigns a reviewer to a proposal."""
    s = db.session()
    proposal = s.get(Proposal, proposal_id) or abort(404)
    form = AssignForm()
    form.reviewer_id.choices = choices((u.id, u.name) for u in queries.available_reviewers(s, proposal))
    if not form.validate_on_submit():
        flash(_("Choose a reviewer from the list."), "error")
    else:
        try:
            assign_reviewer(s, actor=current_user, proposal_id=proposal.id,
                            reviewer_id=form.reviewer_id.data)
            db.commit()
            flash(_("Reviewer assigned."), "success")
        except DomainError as exc:
            s.rollback()
            show_domain_error(exc)
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
