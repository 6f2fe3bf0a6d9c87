"""Two-factor pages: the code step of sign-in, re-authentication, the account's settings."""

import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from funds.accounts.mfa import services
from funds.accounts.models import User
from funds.accounts.permissions import can_reset_two_factor
from portal import db, edge
from portal.auth import sessions
from portal.mfa import flow
from portal.mfa.forms import ActionForm, CodeForm, ConfirmForm, EnrolForm, SavedForm
from portal.mfa.reauth import reauth_required
from portal.redirects import safe_next_url
from portal.security import requires

bp = Blueprint("mfa", __name__)


def _next(default: str | None = None) -> str:
    return safe_next_url(request.args.get("next"), default or url_for("main.index"))


def _wait_message(check) -> None:
    if check.refused.locked:
        flash(
            _(
                "Too many wrong codes. Try again in %(minutes)s minutes.",
                minutes=max(1, round(check.refused.retry_after / 60)),
            ),
            "error",
        )
    else:
        flash(
            _(
                "Too many attempts. Wait %(seconds)s seconds, then try again.",
                seconds=check.refused.retry_after,
            ),
            "error",
        )


@bp.route("/auth/code", methods=["GET", "POST"])
def code():
    """The second step of signing in: a code from the app, or a recovery code."""
    user = flow.pending_user()
    if user is None:
        if flow.had_pending():
            flow.drop_pending()
            flash(_("The sign-in took too long. Type your password again."), "error")
        return redirect(url_for("auth.login", next=_next()))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("mfa/code.html", form=form)
    with edge.transaction() as s:
        check = services.check_code(s, user_id=user.id, code=form.code.data)
        if check.ok:
            return flow.finish_sign_in(
                user, check.method, _next(), codes_left=check.recovery_codes_left
            )
    if check.refused is not None:
        _wait_message(check)
        return render_template("mfa/code.html", form=form), 429
    if check.attempts.back_to_password:
        flow.drop_pending()
        flash(_("Too many wrong codes. Sign in again with your password."), "error")
        return redirect(url_for("auth.login", next=_next()))
    form.code.errors = [
        _("Wrong or already used code. %(n)s attempts left.", n=check.attempts.remaining)
    ]
    return render_template("mfa/code.html", form=form)


@bp.route("/auth/confirm", methods=["GET", "POST"])
@login_required
def confirm():
    """Confirm the password (and a code, when enrolled) before a sensitive action."""
    enrolled = services.is_enrolled(db.session(), user_id=current_user.id)
    form = ConfirmForm()
    if not enrolled:
        del form.code
    if not form.validate_on_submit():
        return render_template("mfa/confirm.html", form=form, enrolled=enrolled)
    with edge.transaction() as s:
        outcome = services.reauthenticate(
            s,
            actor=current_user,
            password=form.password.data,
            code=form.code.data if enrolled else "",
            client_ip=sessions.client_ip(),
        )
        locked = not outcome.ok and outcome.code is not None and outcome.code.locked_now
        if outcome.ok:
            sessions.rotate(reauthenticated=True, second_factor=True if enrolled else None)
        elif locked:
            sessions.end()
    if outcome.ok:
        return redirect(_next())
    if locked:
        flash(_("Too many wrong codes: you are signed out. Sign in again."), "error")
        return redirect(url_for("auth.login"))
    if outcome.password_refused is not None:
        flash(
            _(
                "Too many attempts. Wait %(seconds)s seconds, then try again.",
                seconds=outcome.password_refused.retry_after,
            ),
            "error",
        )
    elif outcome.code is not None and outcome.code.refused is not None:
        _wait_message(outcome.code)
    elif outcome.wrong_password:
        form.password.errors = [_("Wrong password.")]
    else:
        form.code.errors = [_("Wrong or already used code.")]
    return render_template("mfa/confirm.html", form=form, enrolled=enrolled)


@bp.get("/account/two-factor")
@login_required
def index():
    """The account's second factor: set it up, replace it, new recovery codes, turn it off."""
    status = services.status(db.session(), user=current_user)
    return render_template(
        "mfa/index.html",
        status=status,
        form=ActionForm(),
        can_disable=status.enrolled and not status.mandatory,
    )


def _qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (made here from our own URI: safe markup)."""
    return Markup(
        segno.make(uri, error="m").svg_inline(
            scale=4, border=4, light="#fff", title=_("QR code for your app")
        )
    )


@bp.route("/account/two-factor/enrol", methods=["GET", "POST"])
@login_required
@reauth_required
def enrol():
    """Add (or replace) the authenticator app: a key made here, confirmed by a code."""
    s = db.session()
    form = EnrolForm()
    if form.validate_on_submit():
        done = edge.run(lambda: _confirm_enrolment(form.code.data), form=form)
        if done:
            return _show_codes(done.value)
    enrolment = services.pending_enrolment(s, actor=current_user)
    if enrolment is None:
        with edge.transaction():
            enrolment = services.start_enrolment(s, actor=current_user)
    return render_template(
        "mfa/enrol.html",
        form=form,
        enrolment=enrolment,
        qr=_qr_svg(enrolment.uri),
        replacing=services.is_enrolled(s, user_id=current_user.id),
    )


def _confirm_enrolment(code: str) -> list[str]:
    codes = services.confirm_enrolment(db.session(), actor=current_user, code=code)
    sessions.rotate(second_factor=True)  # a privilege change gets a new session secret
    return codes


def _show_codes(codes: list[str]):
    """Recovery codes are shown once, in this response, never stored in clear."""
    form = SavedForm(formdata=None, next=_next(url_for("mfa.index")))
    return render_template("mfa/recovery_codes.html", codes=codes, form=form)


@bp.post("/account/two-factor/recovery-codes")
@login_required
@reauth_required
def recovery_codes():
    """Ten new recovery codes; the earlier ones stop working."""
    if not ActionForm().validate_on_submit():
        abort(400)
    done = edge.run(lambda: services.regenerate_recovery_codes(db.session(), actor=current_user))
    if not done:
        return redirect(url_for("mfa.index"))
    return _show_codes(done.value)


@bp.post("/account/two-factor/saved")
@login_required
def saved():
    """The person says the recovery codes are saved: on to where they were going."""
    form = SavedForm()
    if not form.validate_on_submit():
        flash(_("If you did not save the recovery codes, make new ones here."), "error")
        return redirect(url_for("mfa.index"))
    return redirect(safe_next_url(form.next.data, url_for("mfa.index")))


@bp.post("/account/two-factor/disable")
@login_required
@reauth_required
def disable():
    """Turn two-factor sign-in off (not for administrators and fund managers)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    edge.run(_disable, success=_("Two-factor sign-in is off."))
    return redirect(url_for("mfa.index"))


def _disable() -> None:
    services.disable(db.session(), actor=current_user)
    sessions.rotate(second_factor=False)


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@requires(can_reset_two_factor)
@reauth_required
def reset_user(user_id: int):
    """An administrator removes someone's lost authenticator; they set up a new one."""
    user = db.session().get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    edge.run(
        lambda: services.reset_for_user(db.session(), actor=current_user, user_id=user.id),
        success=_(
            "Two-factor sign-in was reset for %(name)s; their sessions have ended.", name=user.name
        ),
    )
    return redirect(url_for("admin.users"))
