"""Registration with a confirmed address, throttled sign-in, e-mailed links, sign-out."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.accounts import services as accounts
from funds.accounts.errors import InvalidToken
from funds.accounts.models import AccountToken
from funds.accounts.rules import token_hash
from funds.accounts.signin import services as account_services
from funds.clock import utcnow
from funds.errors import DomainError
from portal import db, edge
from portal.auth import mailer, sessions
from portal.auth.forms import (
    EmailOnlyForm,
    LinkForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
)
from portal.mfa.flow import continue_sign_in
from reviews.invitations.models import Invitation
from reviews.invitations.services import open_invitation

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(default: str) -> str:
    from portal.redirects import safe_next_url

    return safe_next_url(request.args.get("next"), default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with e-mail and password, throttled per account and per address."""
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    with edge.transaction() as s:
        result = account_services.sign_in(
            s, email=form.email.data, password=form.password.data, client_ip=sessions.client_ip()
        )
        if result.user is not None:
            return continue_sign_in(result.user, _safe_next(url_for("main.index")))
        _mail_refused(result)
    if result.unverified:
        flash(_("Confirm your e-mail address first: we have sent a new link to it."), "error")
        return render_template("auth/login.html", form=form)
    return _refused(form, result)


def _mail_refused(result) -> None:
    """An unconfirmed account gets a new confirmation link; one locked just now, an unlock
    link."""
    account = result.account
    if result.unverified:
        secret = accounts.resend_confirmation(db.session(), user=account)
        mailer.queue(
            "confirm", account.email, account.locale, name=account.name, link=mailer.link(secret)
        )
    elif result.locked_now and account is not None:
        secret = accounts.unlock_secret(db.session(), user=account)
        if secret:
            mailer.queue(
                "unlock", account.email, account.locale, name=account.name, link=mailer.link(secret)
            )


def _refused(form, result):
    if result.refused is not None and result.refused.locked:
        minutes = max(1, round(result.refused.retry_after / 60))
        flash(
            _(
                "Too many failed sign-ins. Sign-in is paused for %(minutes)s minutes. If this "
                "is your account, the e-mail we sent you has a link that unlocks it at once; "
                "you can also reset your password.",
                minutes=minutes,
            ),
            "error",
        )
    elif result.refused is not None:
        flash(
            _(
                "Too many attempts. Wait %(seconds)s seconds, then try again.",
                seconds=result.refused.retry_after,
            ),
            "error",
        )
    elif result.locked_now:
        flash(
            _(
                "Too many failed sign-ins. Sign-in is paused for %(minutes)s minutes. If this "
                "is your account, the e-mail we sent you has a link that unlocks it at once; "
                "you can also reset your password.",
                minutes=int(account_services.throttle_policy.lock_for.total_seconds() // 60),
            ),
            "error",
        )
    else:
        flash(_("Wrong e-mail or password."), "error")
    status = 429 if result.refused is not None or result.locked_now else 200
    response = render_template("auth/login.html", form=form), status
    if result.refused is not None:
        return (*response, {"Retry-After": str(result.refused.retry_after)})
    return response


@bp.route("/register", methods=["GET", "POST"])
def register():
    """A scientist registers, consenting explicitly; the account acts once the address is
    confirmed. The page never says whether the address already had an account."""
    form = RegisterForm()
    if form.validate_on_submit():
        if not form.consent.data:
            form.consent.errors = [_("Your consent is needed to create an account.")]
            return render_template("auth/register.html", form=form)
        if edge.run(lambda: _register(form), form=form):
            return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


def _register(form: RegisterForm) -> None:
    """The account, and the confirmation link; or, for a known address, a note to its owner."""
    done = accounts.register_applicant(
        db.session(),
        email=form.email.data,
        name=form.name.data,
        password=form.password.data,
        institution=form.institution.data,
        orcid=form.orcid.data,
        consent=True,
        locale=session.get("lang", "vi"),
    )
    if done.user is not None:
        mailer.queue(
            "confirm",
            done.user.email,
            done.user.locale,
            name=done.user.name,
            link=mailer.link(done.secret),
        )
    else:
        mailer.queue(
            "already_registered",
            done.existing.email,
            done.existing.locale,
            name=done.existing.name,
            reset=url_for("auth.forgot", _external=True),
        )


@bp.route("/link", methods=["GET", "POST"])
def link():
    """Where every e-mailed link lands; the secret comes from the link's `#` part."""
    form = LinkForm()
    if not form.validate_on_submit():
        return render_template("auth/link.html", form=form)
    secret = form.token.data.strip()
    s = db.session()
    hashed = token_hash(secret)
    if s.exec(Invitation.__table__.select().where(Invitation.token_hash == hashed)).first():
        try:
            open_invitation(s, secret)
        except DomainError:
            return _invalid_link(form)
        session["invitation_secret"] = secret
        return redirect(url_for("reviews.invitation"))
    token = s.exec(AccountToken.__table__.select().where(AccountToken.token_hash == hashed)).first()
    handler = _LINKS.get(token.purpose) if token is not None else None
    if handler is not None and (token.used_at is not None or token.expires_at <= utcnow()):
        handler = None
    if handler is None:
        return _invalid_link(form)
    done = edge.run(lambda: handler(secret))
    if not done:
        return render_template("auth/link.html", form=form), 400
    message, target = done.value
    if message:
        flash(message, "success")
    return redirect(target)


def _invalid_link(form):
    flash(
        _("This link is not valid any more. Links work once and expire; ask for a new one."),
        "error",
    )
    return render_template("auth/link.html", form=form), 400


# Each kind of link: its service, then (the message once committed, where to go).
def _confirm(secret: str):
    accounts.confirm_email(db.session(), secret=secret)
    return _("Your e-mail address is confirmed. You can sign in now."), url_for("auth.login")


def _unlock(secret: str):
    accounts.unlock_account(db.session(), secret=secret)
    return (
        _(
            "Your account is unlocked. Sign in again; if you did not make those attempts, "
            "change your password."
        ),
        url_for("auth.login"),
    )


def _change_email(secret: str):
    user, old = accounts.confirm_email_change(db.session(), secret=secret)
    mailer.queue("email_changed", old, user.locale, name=user.name)
    return (
        _("Your e-mail address is now %(email)s.", email=user.email),
        url_for("account.index") if current_user.is_authenticated else url_for("auth.login"),
    )


def _new_password(secret: str):
    session["password_secret"] = secret
    return None, url_for("auth.new_password")


_LINKS = {
    "verify_email": _confirm,
    "unlock": _unlock,
    "change_email": _change_email,
    "reset_password": _new_password,
    "set_password": _new_password,
}


@bp.route("/new-password", methods=["GET", "POST"])
def new_password():
    """Choose a password from a reset or set-up link (the secret is held in the session)."""
    secret = session.get("password_secret")
    token = _token_or_none(secret)
    if token is None:
        flash(
            _("This link is not valid any more. Links work once and expire; ask for a new one."),
            "error",
        )
        return redirect(url_for("auth.forgot"))
    form = NewPasswordForm()
    if form.validate_on_submit() and edge.run(
        lambda: _reset_password(secret, token.purpose, form.password.data),
        form=form,
        success=_("Your password is set. Sign in with it."),
    ):
        session.pop("password_secret", None)
        return redirect(url_for("auth.login"))
    return render_template("auth/new_password.html", form=form)


def _reset_password(secret: str, purpose: str, password: str) -> None:
    user = accounts.reset_password(db.session(), secret=secret, new=password, purpose=purpose)
    mailer.queue("password_changed", user.email, user.locale, name=user.name)


def _token_or_none(secret):
    if not secret:
        return None
    for purpose in ("reset_password", "set_password"):
        try:
            return account_services.check_token(db.session(), purpose=purpose, raw=secret)
        except InvalidToken:
            continue
    return None


@bp.route("/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a password-reset link; the answer is the same whether or not an account exists."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        with edge.transaction() as s:
            found = accounts.request_password_reset(s, email=form.email.data)
            if found is not None:
                user, secret = found
                mailer.queue(
                    "reset", user.email, user.locale, name=user.name, link=mailer.link(secret)
                )
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out: the session ends on the server too."""
    with edge.transaction():
        sessions.end()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Revoke every session of this account, on every device."""
    with edge.transaction() as s:
        accounts.sign_out_everywhere(s, actor=current_user)
        sessions.end()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.login"))
