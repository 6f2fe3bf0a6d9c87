"""Attachments, team members and receipts: each view loads (404), checks (403), acts."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from funds.errors import NotFound
from funds.hosts.queries import endorsement_for_submission
from funds.proposals import services as proposal_svc
from funds.proposals import team
from funds.proposals.models import Submission
from funds.submission import files
from portal import db, edge
from portal.proposals import confirming
from portal.proposals.receipts import pdf_bytes
from portal.submission.forms import AttachmentForm, MemberForm
from portal.tasks import data_dir

bp = Blueprint("submission", __name__)


def _proposal(proposal_id: int):
    try:
        return proposal_svc.get_proposal_for(
            db.session(), proposal_id=proposal_id, actor=current_user
        )
    except NotFound:
        abort(404)


def _back(proposal_id: int, anchor: str = ""):
    return redirect(url_for("proposals.detail", proposal_id=proposal_id, _anchor=anchor or None))


@bp.post("/proposals/<int:proposal_id>/attachments")
@login_required
def upload(proposal_id: int):
    """Attach a file, checked by its content against the call's limits."""
    proposal = _proposal(proposal_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return _back(proposal.id, "attachments")
    upload = form.file.data
    data = upload.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    edge.run(
        lambda: files.add_attachment(
            db.session(),
            actor=current_user,
            proposal_id=proposal.id,
            kind=form.kind.data,
            filename=upload.filename or "",
            data=data,
            directory=data_dir(current_app) / "files",
        ),
        success=_("File attached."),
    )
    return _back(proposal.id, "attachments")


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    """The file, only to those who may see its proposal."""
    try:
        a = files.get_attachment_for(db.session(), attachment_id=attachment_id, actor=current_user)
    except NotFound:
        abort(404)
    path = data_dir(current_app) / "files" / a.stored_name
    return send_file(
        path, mimetype=a.content_type, as_attachment=True, download_name=a.original_name
    )


@bp.post("/attachments/<int:attachment_id>/delete")
@login_required
def delete_attachment(attachment_id: int):
    try:
        a = files.get_attachment_for(db.session(), attachment_id=attachment_id, actor=current_user)
    except NotFound:
        abort(404)
    if not confirming.confirmed():
        return confirming.ask(
            heading=_("Remove the file?"),
            question=_(
                "The file %(name)s will be removed from the proposal.", name=a.original_name
            ),
            button=_("Yes, remove the file"),
            back=url_for("proposals.detail", proposal_id=a.proposal_id, _anchor="attachments"),
        )
    edge.run(
        lambda: files.remove_attachment(db.session(), actor=current_user, attachment_id=a.id),
        success=_("File removed."),
    )
    return _back(a.proposal_id, "attachments")


@bp.post("/proposals/<int:proposal_id>/team")
@login_required
def add_member(proposal_id: int):
    """Add a co-investigator; they confirm by the link shown."""
    proposal = _proposal(proposal_id)
    form = MemberForm()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            flash(f"{getattr(form, name).label.text}: {' '.join(map(str, errors))}", "error")
        return _back(proposal.id, "team")
    edge.run(
        lambda: team.add_member(
            db.session(),
            actor=current_user,
            proposal_id=proposal.id,
            name=form.name.data,
            email=form.email.data,
            institution=form.institution.data or "",
            role=form.role.data or "",
            effort_pct=form.effort_pct.data or 0,
        ),
        success=_("Team member added; send them the confirmation link."),
    )
    return _back(proposal.id, "team")


@bp.post("/team/<int:member_id>/delete")
@login_required
def remove_member(member_id: int):
    from funds.profiles.models import CoInvestigator

    member = db.session().get(CoInvestigator, member_id) or abort(404)
    _proposal(member.proposal_id)
    if not confirming.confirmed():
        return confirming.ask(
            heading=_("Remove the team member?"),
            question=_("%(name)s will be removed from the team of the proposal.", name=member.name),
            button=_("Yes, remove them"),
            back=url_for("proposals.detail", proposal_id=member.proposal_id, _anchor="team"),
        )
    edge.run(
        lambda: team.remove_member(db.session(), actor=current_user, member_id=member.id),
        success=_("Team member removed."),
    )
    return _back(member.proposal_id, "team")


@bp.route("/team/confirm/<token>", methods=["GET", "POST"])
@login_required
def confirm(token: str):
    """A co-investigator confirms taking part (signed in with the invited address)."""
    from flask import request

    try:
        member = team.member_by_token(db.session(), token)
    except NotFound:
        abort(404)
    if request.method == "POST":
        edge.run(
            lambda: team.confirm_membership(db.session(), actor=current_user, token=token),
            success=_("Thank you: your participation is confirmed."),
        )
    proposal = team.proposal_of(db.session(), member)
    return render_template("submission/confirm.html", member=member, proposal=proposal)


def _submission(proposal_id: int, version_no: int) -> Submission:
    _proposal(proposal_id)
    found = (
        db.session()
        .exec(
            select(Submission).where(
                Submission.proposal_id == proposal_id, Submission.version_no == version_no
            )
        )
        .first()
    )
    return found or abort(404)


@bp.get("/proposals/<int:proposal_id>/submissions/<int:version_no>")
@login_required
def receipt(proposal_id: int, version_no: int):
    """The receipt of one submitted version."""
    submission = _submission(proposal_id, version_no)
    return render_template(
        "submission/receipt.html",
        submission=submission,
        proposal=_proposal(proposal_id),
        endorsement=endorsement_for_submission(db.session(), submission.id),
    )


@bp.get("/proposals/<int:proposal_id>/submissions/<int:version_no>.pdf")
@login_required
def receipt_pdf(proposal_id: int, version_no: int):
    """The submitted version as a PDF."""
    submission = _submission(proposal_id, version_no)
    return Response(
        pdf_bytes(current_app, submission),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{submission.receipt_no}.pdf"'},
    )
