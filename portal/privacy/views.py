"""The privacy notice and the personal-data rights pages (Law 91/2025/QH15)."""

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from funds.accounts.models import User
from funds.accounts.services import CONSENT_VERSION, find_user_by_email
from funds.consent import queries as consent_queries
from funds.consent.rules import ConsentState
from funds.privacy import queries
from funds.privacy import services as svc
from funds.privacy.permissions import can_handle_privacy_requests
from funds.privacy.rules import RETENTION, RETENTION_BY_KEY, retention_years
from portal import db, edge
from portal.mfa.reauth import reauth_required
from portal.privacy.forms import (
    ActionForm,
    CorrectionForm,
    EraseForPersonForm,
    EraseOwnForm,
    FindPersonForm,
)
from portal.privacy.labels import FIELDS, SECTIONS
from portal.reports.pdf import render_pdf
from portal.security import requires
from portal.tasks import data_dir

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def notice():
    """The privacy notice: public, in both languages."""
    return render_template(
        "privacy/notice.html",
        retention=RETENTION,
        years=retention_years(current_app.config),
        version=CONSENT_VERSION,
        controller=current_app.config.get("PRIVACY_CONTROLLER"),
        contact=current_app.config.get("PRIVACY_CONTACT"),
    )


def _preview_context(person: User) -> dict:
    s = db.session()
    return {
        "preview": svc.erasure_preview(s, user=person),
        "reasons": RETENTION_BY_KEY,
        "years": retention_years(current_app.config),
    }


@bp.get("/privacy/me")
@login_required
def mine():
    """What the fund holds about me, and my rights over it."""
    s = db.session()
    state = consent_queries.consent_of(s, current_user)
    return render_template(
        "privacy/mine.html",
        consent=state,
        version=CONSENT_VERSION,
        events=consent_queries.consent_events(s, current_user.id),
        can_withdraw=state == ConsentState.GIVEN,
        can_give=(state != ConsentState.GIVEN or current_user.consent_version != CONSENT_VERSION),
        form=ActionForm(),
        sections=SECTIONS,
    )


def _export(person_id: int, form: str):
    done = edge.run(
        lambda: svc.export_personal_data(
            db.session(), actor=current_user, user_id=person_id, form=form
        ),
        show=False,
    )
    if not done:
        abort(404)
    data = done.value
    name = f"personal-data-{person_id}.{form}"
    if form == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = make_response(body, 200, {"Content-Type": "application/json; charset=utf-8"})
    else:
        html = render_template(
            "privacy/export_pdf.html", data=data, sections=SECTIONS, fields=FIELDS
        )
        response = make_response(
            render_pdf(html, base_url=request.url_root), 200, {"Content-Type": "application/pdf"}
        )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/privacy/me/export.<any(json, pdf):form>")
@login_required
@reauth_required
def export_mine(form: str):
    """Download everything held about me (JSON or PDF); the download is audited."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _export(current_user.id, form)


@bp.route("/privacy/me/correct", methods=["GET", "POST"])
@login_required
def correct():
    """Correct my name and institution (e-mail changes are verified on the account page)."""
    form = CorrectionForm(data={"name": current_user.name, "institution": current_user.institution})
    if form.validate_on_submit():
        done = edge.run(
            lambda: svc.correct_personal_data(
                db.session(),
                actor=current_user,
                name=form.name.data,
                institution=form.institution.data or "",
            ),
            form=form,
        )
        if done:
            flash(
                _("Your details were corrected.") if done.value else _("Nothing changed."),
                "success",
            )
            return redirect(url_for("privacy.mine"))
    return render_template("privacy/correct.html", form=form)


@bp.route("/privacy/me/consent/withdraw", methods=["GET", "POST"])
@login_required
def withdraw():
    """Explain what withdrawing consent changes, then withdraw it."""
    form = ActionForm()
    if form.validate_on_submit():
        edge.run(
            lambda: svc.withdraw_consent(db.session(), actor=current_user),
            success=_("Your consent is withdrawn."),
        )
        return redirect(url_for("privacy.mine"))
    return render_template("privacy/withdraw.html", form=form)


@bp.post("/privacy/me/consent/give")
@login_required
def give():
    """Give consent (again) to the current notice."""
    if not ActionForm().validate_on_submit():
        abort(400)
    edge.run(
        lambda: svc.give_consent(db.session(), actor=current_user),
        success=_("Thank you: your consent is recorded."),
    )
    return redirect(url_for("privacy.mine"))


def _files_go_after_commit(plan) -> None:
    """The erased files are removed once the erasure is committed, never before."""
    edge.after_commit(_remove_files, plan.files_to_remove)


def _remove_files(names: list[str]) -> None:
    folder = data_dir(current_app) / "files"
    for name in names:
        (folder / name).unlink(missing_ok=True)


@bp.route("/privacy/me/delete", methods=["GET", "POST"])
@login_required
@reauth_required
def delete():
    """Show what is deleted and what is kept (and why), then delete at once on confirmation."""
    form = EraseOwnForm()
    context = _preview_context(current_user)
    if form.validate_on_submit() and edge.run(
        lambda: _files_go_after_commit(
            svc.erase_own_data(
                db.session(),
                actor=current_user,
                password=form.password.data,
                typed_email=form.confirm.data,
            )
        ),
        form=form,
    ):
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:  # the page after stays in the person's language
            session["lang"] = lang
        return render_template("privacy/erased.html", by_admin=False, **context)
    return render_template("privacy/delete.html", form=form, **context)


@bp.route("/privacy/admin", methods=["GET", "POST"])
@requires(can_handle_privacy_requests)
def requests():
    """Administrators find the person a request received by post is about."""
    form = FindPersonForm()
    if form.validate_on_submit():
        person = find_user_by_email(db.session(), form.email.data)
        if person is not None:
            return redirect(url_for("privacy.person", user_id=person.id))
        form.email.errors = [_("No account has this e-mail address.")]
    return render_template("privacy/admin.html", form=form)


@bp.route("/privacy/admin/people/<int:user_id>", methods=["GET", "POST"])
@requires(can_handle_privacy_requests)
@reauth_required
def person(user_id: int):
    """An administrator exports or erases a person's data for a request received outside."""
    target = db.session().get(User, user_id) or abort(404)
    form = EraseForPersonForm()
    context = _preview_context(target)
    if form.validate_on_submit() and edge.run(
        lambda: _files_go_after_commit(
            svc.erase_person_data(
                db.session(),
                actor=current_user,
                user_id=target.id,
                typed_email=form.confirm.data,
                channel=form.channel.data,
            )
        ),
        form=form,
    ):
        return render_template("privacy/erased.html", by_admin=True, **context)
    return render_template(
        "privacy/admin_person.html",
        person=target,
        form=form,
        export_form=ActionForm(),
        erased=queries.erasure_of(db.session(), target.id),
        **context,
    )


@bp.post("/privacy/admin/people/<int:user_id>/export.<any(json, pdf):form>")
@requires(can_handle_privacy_requests)
@reauth_required
def export_for(user_id: int, form: str):
    """The person's data for an administrator to send them (audited)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    return _export(user_id, form)
