"""Reviews: reviewers accept confidentiality, declare conflicts, score and submit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from funds.calls import queries as funds_queries
from funds.calls.models import Call
from funds.errors import NotAllowed, NotFound
from funds.proposals.models import Proposal
from funds.proposals.services import get_proposal_for_manager
from portal import db, edge
from portal.auth import sessions
from portal.forms import choices
from portal.reviews.dossier import assembled_pdf, dossier_page_args, pdf_response, send_preview
from portal.reviews.forms import (
    AcceptInvitationForm,
    AssignForm,
    BidForm,
    DeclarationForm,
    DeclineForm,
    JoinPoolForm,
    ProfileForm,
    ReviewForm,
    rubric_form,
)
from portal.security import requires
from reviews.assignment.models import Review
from reviews.assignment.services import decline_assignment, get_assignment_for
from reviews.dossier.services import dossier_for_reviewer, reviewer_submitted_file
from reviews.invitations.services import (
    accept_as_member,
    accept_as_new,
    needs_sign_in,
    open_invitation,
)
from reviews.pool.permissions import is_reviewer
from reviews.pool.services import accept_confidentiality, place_bid, profile_of, save_profile
from reviews.reviewing import queries
from reviews.reviewing.permissions import (
    can_manage_reviews,
    can_review,
    can_see_other_reviews,
    has_accepted_confidentiality,
)
from reviews.reviewing.services import (
    assign_reviewer,
    declare_conflict,
    proposal_for_reviewer,
    reviewer_access,
    save_review,
    save_rubric_review,
    summary_for_declaration,
)
from reviews.rubric.services import anchors_of, criteria_of, rubric_for_call, scores_of

bp = Blueprint("reviews", __name__)


def _assignment(assignment_id: int):
    try:
        return get_assignment_for(db.session(), assignment_id=assignment_id, actor=current_user)
    except NotFound:
        abort(404)


@bp.get("/reviews")
@requires(is_reviewer)
def mine():
    """The reviewer's assignments, and nothing else."""
    s = db.session()
    return render_template(
        "reviews/mine.html",
        rows=queries.assignments_for_reviewer(s, current_user.id),
        biddable=queries.biddable(s, current_user.id),
        bid_form=BidForm(),
    )


@bp.route("/reviews/<int:assignment_id>", methods=["GET", "POST"])
@requires(is_reviewer)
def review(assignment_id: int):
    """Confidentiality, then the conflict declaration, then the proposal and the review."""
    s = db.session()
    try:
        access = reviewer_access(s, actor=current_user, assignment_id=assignment_id)
    except NotFound:
        abort(404)
    assignment = access.assignment
    if not has_accepted_confidentiality(access.profile, current_user):
        return render_template("reviews/confidentiality.html", assignment=assignment)
    if access.declaration is None:
        return _declaration_page(assignment, DeclarationForm())
    try:  # the domain decides whether the whole proposal may be read
        proposal = proposal_for_reviewer(s, actor=current_user, assignment_id=assignment.id)
    except NotAllowed:
        abort(403)
    rubric = rubric_for_call(s, proposal.call_id)
    if rubric is not None:
        return _rubric_review(assignment, proposal, rubric)
    return _overall_review(assignment, proposal)


def _overall_review(assignment, proposal):
    s = db.session()
    existing = s.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    form = ReviewForm(obj=existing if request.method == "GET" else None)
    editable = can_review(assignment, current_user)
    if editable and form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        if edge.run(
            lambda: save_review(
                s,
                actor=current_user,
                assignment_id=assignment.id,
                score=form.score.data,
                comment=form.comment.data or "",
                submit=submit,
                expected_version=form.version_id.data,
            ),
            form=form,
            success=_("Review submitted.") if submit else _("Review saved."),
        ):
            return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return _render(assignment, proposal, form, existing, editable, None, [])


def _rubric_review(assignment, proposal, rubric):
    s = db.session()
    criteria = criteria_of(s, rubric)
    anchors = anchors_of(s, criteria)
    existing = s.exec(select(Review).where(Review.assignment_id == assignment.id)).first()
    data = None
    if request.method == "GET" and existing is not None:
        saved = scores_of(s, existing)
        data = {"comment": existing.comment}
        for cid, row in saved.items():
            data[f"score_{cid}"], data[f"comment_{cid}"] = row.score, row.comment
    form = rubric_form(criteria, data, anchors)
    editable = can_review(assignment, current_user)
    if editable and form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        if edge.run(
            lambda: save_rubric_review(
                s,
                actor=current_user,
                assignment_id=assignment.id,
                scores={c.id: form[f"score_{c.id}"].data for c in criteria},
                comments={c.id: form[f"comment_{c.id}"].data or "" for c in criteria},
                comment=form.comment.data or "",
                submit=submit,
            ),
            form=form,
            success=_("Review submitted.") if submit else _("Review saved."),
        ):
            return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return _render(assignment, proposal, form, existing, editable, rubric, criteria)


def _render(assignment, proposal, form, existing, editable, rubric, criteria):
    s = db.session()
    others = (
        queries.other_reviews(s, assignment) if can_see_other_reviews(assignment, rubric) else []
    )
    dossier = dossier_for_reviewer(s, actor=current_user, assignment_id=assignment.id)
    own = queries.criterion_lines(s, [existing.id]) if existing is not None else {}
    return render_template(
        "reviews/review.html",
        assignment=assignment,
        proposal=proposal,
        call=s.get(Call, proposal.call_id),
        form=form,
        review=existing,
        own_lines=own.get(existing.id, ()) if existing is not None else (),
        editable=editable,
        criteria=criteria,
        rubric=rubric,
        others=others,
        decline_form=DeclineForm(),
        **dossier_page_args(
            dossier,
            file_url=lambda f: url_for(
                "reviews.attachment", assignment_id=assignment.id, attachment_id=f.attachment_id
            ),
            preview_url=lambda f: url_for(
                "reviews.preview", assignment_id=assignment.id, attachment_id=f.attachment_id
            ),
            pdf_url=url_for("reviews.proposal_pdf", assignment_id=assignment.id),
        ),
    )


@bp.post("/reviews/<int:assignment_id>/confidentiality")
@requires(is_reviewer)
def confidentiality(assignment_id: int):
    """Accept the confidentiality statement (once, before seeing anything)."""
    _assignment(assignment_id)
    if not DeclineForm().validate_on_submit():
        abort(400)
    with edge.transaction() as s:
        accept_confidentiality(s, actor=current_user)
    return redirect(url_for("reviews.review", assignment_id=assignment_id))


@bp.post("/reviews/<int:assignment_id>/declaration")
@requires(is_reviewer)
def declare(assignment_id: int):
    """Declare a conflict of interest, or none, after title and summary only."""
    assignment = _assignment(assignment_id)
    form = DeclarationForm()
    if form.validate_on_submit() and edge.run(
        lambda: declare_conflict(
            db.session(),
            actor=current_user,
            assignment_id=assignment.id,
            has_conflict=form.conflict.data == "yes",
            reason=form.reason.data or "",
        ),
        form=form,
    ):
        if form.conflict.data == "yes":
            flash(_("Thank you. The proposal has been withdrawn from your list."), "success")
            return redirect(url_for("reviews.mine"))
        return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return _declaration_page(assignment, form)


def _declaration_page(assignment, form):
    """Title and summary only, to declare on; before confidentiality, that step instead."""
    try:
        summary = summary_for_declaration(
            db.session(), actor=current_user, assignment_id=assignment.id
        )
    except NotAllowed:
        return redirect(url_for("reviews.review", assignment_id=assignment.id))
    return render_template(
        "reviews/declare.html", assignment=assignment, proposal=summary, form=form
    )


@bp.post("/reviews/<int:assignment_id>/decline")
@requires(is_reviewer)
def decline(assignment_id: int):
    assignment = _assignment(assignment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        abort(400)
    edge.run(
        lambda: decline_assignment(
            db.session(),
            actor=current_user,
            assignment_id=assignment.id,
            reason=form.reason.data or "",
        ),
        success=_("You have declined this review."),
    )
    return redirect(url_for("reviews.mine"))


@bp.route("/reviews/profile", methods=["GET", "POST"])
@requires(is_reviewer)
def profile():
    """The reviewer's expertise, areas, languages, load and availability."""
    s = db.session()
    current = profile_of(s, current_user.id)
    form = ProfileForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.areas.data = [a for a in current.areas.split(",") if a]
    form.areas.choices = choices((a.code, a.code) for a in funds_queries.areas(s))
    if form.validate_on_submit() and edge.run(
        lambda: save_profile(
            s,
            actor=current_user,
            keywords=form.keywords.data or "",
            areas=form.areas.data,
            languages=form.languages.data or "",
            max_load=form.max_load.data,
            available=form.available.data,
        ),
        form=form,
        success=_("Saved."),
    ):
        return redirect(url_for("reviews.profile"))
    return render_template("reviews/profile.html", form=form)


@bp.post("/reviews/bids/<int:proposal_id>")
@requires(is_reviewer)
def bid(proposal_id: int):
    """Bid on a proposal listed to the reviewer (title only)."""
    form = BidForm()
    if form.validate_on_submit() and db.session().get(Proposal, proposal_id):
        with edge.transaction() as s:
            place_bid(s, actor=current_user, proposal_id=proposal_id, level=form.level.data)
        flash(_("Saved."), "success")
    return redirect(url_for("reviews.mine"))


@bp.post("/proposals/<int:proposal_id>/reviewers")
@requires(can_manage_reviews)
def assign(proposal_id: int):
    """A manager assigns one reviewer by hand."""
    s = db.session()
    try:
        proposal = get_proposal_for_manager(s, proposal_id=proposal_id, actor=current_user)
    except NotFound:
        abort(404)
    form = AssignForm()
    form.reviewer_id.choices = choices(
        (u.id, u.name) for u in queries.available_reviewers(s, proposal)
    )
    if not form.validate_on_submit():
        flash(_("Choose a reviewer from the list."), "error")
    else:
        edge.run(
            lambda: assign_reviewer(
                s, actor=current_user, proposal_id=proposal.id, reviewer_id=form.reviewer_id.data
            ),
            success=_("Reviewer assigned."),
        )
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@bp.route("/invitation", methods=["GET", "POST"])
def invitation():
    """Accept an invitation opened from its e-mailed link (the secret is in the session).

    A new expert chooses a password; an existing account signs in first, then joins."""
    s = db.session()
    secret = session.get("invitation_secret")
    try:
        invite = open_invitation(s, secret)
    except NotFound:
        abort(404)
    existing = needs_sign_in(s, invite)
    if existing and not current_user.is_authenticated:
        return render_template(
            "reviews/invitation.html", invitation=invite, form=None, sign_in=True
        )
    form = (
        JoinPoolForm()
        if existing
        else AcceptInvitationForm(data={"name": invite.name} if request.method == "GET" else None)
    )
    if form.validate_on_submit() and edge.run(lambda: _accept(secret, form, existing), form=form):
        session.pop("invitation_secret", None)
        if existing:
            flash(_("Welcome to the reviewer pool. Please complete your profile."), "success")
            return redirect(url_for("reviews.profile"))
        flash(_("Your reviewer account is ready. Sign in with your new password."), "success")
        return redirect(url_for("auth.login", next=url_for("reviews.profile")))
    return render_template("reviews/invitation.html", form=form, invitation=invite, sign_in=False)


def _accept(secret: str, form, existing) -> None:
    """Join the pool: an existing account as it is, a new expert with a new account."""
    if existing:
        accept_as_member(
            db.session(),
            secret=secret,
            actor=current_user,
            confidentiality=form.confidentiality.data,
        )
        sessions.rotate()  # a new privilege: a new session secret
    else:
        accept_as_new(
            db.session(),
            secret=secret,
            name=form.name.data,
            password=form.password.data,
            institution=form.institution.data,
            confidentiality=form.confidentiality.data,
        )


@bp.get("/reviews/<int:assignment_id>/attachments/<int:attachment_id>")
@requires(is_reviewer)
def attachment(assignment_id: int, attachment_id: int):
    """A file of the assigned proposal, after the conflict declaration."""
    from flask import current_app, send_file

    from portal.tasks import data_dir

    try:
        a = reviewer_submitted_file(  # only the files of the version submitted
            db.session(),
            actor=current_user,
            assignment_id=assignment_id,
            attachment_id=attachment_id,
        )
    except NotFound:
        abort(404)
    except NotAllowed:  # confidentiality or the declaration of no conflict still missing
        abort(403)
    return send_file(
        data_dir(current_app) / "files" / a.stored_name,
        mimetype=a.content_type,
        as_attachment=True,
        download_name=a.original_name,
    )


@bp.get("/reviews/<int:assignment_id>/attachments/<int:attachment_id>/preview")
@requires(is_reviewer)
def preview(assignment_id: int, attachment_id: int):
    """A file of the submitted version, shown inside the review page (same origin only)."""
    try:
        a = reviewer_submitted_file(
            db.session(),
            actor=current_user,
            assignment_id=assignment_id,
            attachment_id=attachment_id,
        )
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    return send_preview(a)


@bp.get("/reviews/<int:assignment_id>/proposal.pdf")
@requires(is_reviewer)
def proposal_pdf(assignment_id: int):
    """The whole submitted version and its PDF files, in one PDF (blind as the call says)."""
    try:
        dossier = dossier_for_reviewer(
            db.session(), actor=current_user, assignment_id=assignment_id
        )
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    return pdf_response(assembled_pdf(dossier), f"proposal-{assignment_id}.pdf")
