"""Registration, sign-in and sign-out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from funds.errors import DomainError
from funds.services.accounts import authenticate, register_applicant, sign_out_everywhere

from portal import db
from portal.auth.forms import LoginForm, RegisterForm
from portal.forms import show_domain_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(default: str) -> str:
    from portal.redirects import safe_next_url

    return safe_next_url(request.args.get("next"), default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session(), email=form.email.data, password=form.password.data)
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
        else:
            session.clear()
            login_user(user)
            session["lang"] = user.locale
            return redirect(_safe_next(url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A scientist creates an applicant account, consenting explicitly."""
    form = RegisterForm()
    if form.validate_on_submit():
        if not form.consent.data:
            form.consent.errors = [_("Your consent is needed to create an account.")]
        else:
            try:
                user = register_applicant(
                    db.session(), email=form.email.data, name=form.name.data,
                    password=form.password.data, institution=form.institution.data,
                    orcid=form.orcid.data, consent=True, locale=session.get("lang", "vi"))
                db.commit()
            except DomainError as exc:
                db.session().rollback()
                show_domain_error(exc, form)
            else:
                login_user(user)
                flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
                return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Revoke every session of this account, on every device."""
    sign_out_everywhere(db.session(), actor=current_user)
    db.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.login"))
