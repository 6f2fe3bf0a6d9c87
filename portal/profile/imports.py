"""Publications imported from a file: upload, preview of what is added and skipped, confirm."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from funds.errors import NotFound
from funds.profiles.imports import services as svc
from funds.profiles.imports.rules import FORMAT_LABELS, MAX_BYTES
from funds.profiles.permissions import can_keep_profile
from portal import db, edge
from portal.profile.forms import ConfirmForm, ImportForm
from portal.security import requires

bp = Blueprint("publication_import", __name__)


@bp.route("/profile/publications/import", methods=["GET", "POST"])
@requires(can_keep_profile)
def upload():
    """Upload a file of publications; the next page shows what it would add."""
    form, refused = ImportForm(), False
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)
        done = edge.run(
            lambda: svc.upload_publications(
                db.session(), actor=current_user, filename=upload.filename or "", data=data
            ),
            form=form,
        )
        if done:
            return redirect(url_for("publication_import.preview", import_id=done.value.id))
        refused = True
    return render_template("profile/import.html", form=form), (
        422 if form.errors or refused else 200
    )


@bp.get("/profile/publications/import/<int:import_id>")
@requires(can_keep_profile)
def preview(import_id: int):
    """What confirming adds, what it skips as duplicate, and the entries that cannot be read."""
    try:
        shown = svc.preview_of(db.session(), actor=current_user, import_id=import_id)
    except NotFound:
        abort(404)
    return render_template(
        "profile/import_preview.html",
        preview=shown,
        format_label=FORMAT_LABELS[shown.upload.format],
        form=ConfirmForm(),
    )


@bp.post("/profile/publications/import/<int:import_id>/confirm")
@requires(can_keep_profile)
def confirm(import_id: int):
    """Add the new entries to the profile."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("publication_import.preview", import_id=import_id))
    done = edge.run(
        lambda: svc.confirm_import(db.session(), actor=current_user, import_id=import_id),
        show=False,
    )
    if not done:
        abort(404)
    added = done.value or 0
    flash(ngettext("%(num)d publication added.", "%(num)d publications added.", added), "success")
    return redirect(url_for("profile.edit", _anchor="publications"))
