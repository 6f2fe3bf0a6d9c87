"""The signed-in user's own profile."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.profiles import services as svc
from funds.profiles.permissions import can_keep_profile
from portal import db, edge
from portal.profile.forms import ProfileForm, PublicationForm

bp = Blueprint("profile", __name__)


def _page(form, pub_form):
    s = db.session()
    return render_template(
        "profile/edit.html",
        form=form,
        pub_form=pub_form,
        publications=svc.publications_of(s, current_user.id),
        can_import_publications=can_keep_profile(current_user),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit():
    """Edit the profile that fills every proposal."""
    profile = svc.profile_of(db.session(), current_user.id)
    form = ProfileForm(
        data={
            "institution": current_user.institution,
            "orcid": current_user.orcid or "",
            "title": profile.title,
            "position": profile.position,
            "cv": profile.cv,
        }
    )
    if form.validate_on_submit() and edge.run(
        lambda: svc.update_profile(
            db.session(),
            actor=current_user,
            institution=form.institution.data,
            orcid=form.orcid.data or "",
            title=form.title.data or "",
            position=form.position.data or "",
            cv=form.cv.data or "",
        ),
        form=form,
        success=_("Profile saved."),
    ):
        return redirect(url_for("profile.edit"))
    return _page(form, PublicationForm(formdata=None))


@bp.post("/profile/publications")
@login_required
def add_publication():
    """Add a publication to the profile."""
    form = PublicationForm()
    if not form.validate_on_submit():
        return _page(ProfileForm(formdata=None), form), 422
    with edge.transaction() as s:
        svc.add_publication(
            s,
            actor=current_user,
            title=form.title.data,
            authors=form.authors.data or "",
            year=form.year.data,
            venue=form.venue.data or "",
            doi=form.doi.data or "",
        )
    flash(_("Publication added."), "success")
    return redirect(url_for("profile.edit"))


@bp.post("/profile/publications/<int:publication_id>/delete")
@login_required
def remove_publication(publication_id: int):
    if not edge.run(
        lambda: svc.remove_publication(
            db.session(), actor=current_user, publication_id=publication_id
        ),
        show=False,
        success=_("Publication removed."),
    ):
        abort(404)
    return redirect(url_for("profile.edit"))
