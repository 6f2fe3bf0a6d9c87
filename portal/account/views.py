"""One's own account: change the password or the e-mail address, see and end sessions."""

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.accounts import services as accounts
from funds.accounts.signin.services import live_sessions
from portal import db, edge
from portal.auth import mailer, sessions
from portal.auth.forms import ChangeEmailForm, ChangePasswordForm

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(password_form=None, email_form=None):
    live = sessions.current()
    return render_template(
        "account/index.html",
        password_form=password_form or ChangePasswordForm(prefix="pw"),
        email_form=email_form or ChangeEmailForm(prefix="em"),
        sessions=live_sessions(db.session(), user_id=current_user.id),
        this_session=live.id if live else None,
        url_map_endpoints=current_app.view_functions,
    )


@bp.get("/")
@login_required
def index():
    """The account page."""
    return _page()


@bp.post("/password")
@login_required
def change_password():
    """Change the password; every other session ends."""
    form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit() and edge.run(
        lambda: _change_password(form),
        form=form,
        success=_("Your password is changed; your other sessions were signed out."),
    ):
        return redirect(url_for("account.index"))
    return _page(password_form=form), 422


def _change_password(form: ChangePasswordForm) -> None:
    live = sessions.current()
    accounts.change_password(
        db.session(),
        actor=current_user,
        current=form.current.data,
        new=form.password.data,
        keep_session_id=live.id if live else None,
    )
    sessions.rotate(reauthenticated=True)
    mailer.queue(
        "password_changed", current_user.email, current_user.locale, name=current_user.name
    )


@bp.post("/email")
@login_required
def change_email():
    """Ask to change the e-mail address; the new address must confirm by link."""
    form = ChangeEmailForm(prefix="em")
    if form.validate_on_submit() and edge.run(
        lambda: _request_email_change(form),
        form=form,
        success=_(
            "We have sent a link to %(email)s. Your address changes when you open it.",
            email=form.email.data,
        ),
    ):
        return redirect(url_for("account.index"))
    return _page(email_form=form), 422


def _request_email_change(form: ChangeEmailForm) -> None:
    secret = accounts.request_email_change(
        db.session(), actor=current_user, new_email=form.email.data, password=form.password.data
    )
    if secret:
        mailer.queue(
            "change_email",
            form.email.data.strip().lower(),
            current_user.locale,
            name=current_user.name,
            link=mailer.link(secret),
        )
