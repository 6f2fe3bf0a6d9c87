"""What happens after the password was right: the second factor, then the session.

Between the two steps the (signed) Flask session holds only the account's id and the time
the password was checked; the server-side session starts only after the code
(ASVS 5.0 V6.5, V7.2.4).
"""

from datetime import UTC, datetime

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.accounts.mfa import rules, services
from funds.accounts.models import User
from funds.clock import utcnow
from portal import db
from portal.auth import sessions

PENDING = "mfa_pending"
# What a session without its second factor may still open (the rest redirects).
OPEN_ENDPOINTS = frozenset(
    {
        "static",
        "auth.login",
        "auth.logout",
        "auth.logout_everywhere",
        "main.language",
        "mfa.code",
        "mfa.confirm",
        "mfa.enrol",
        "mfa.saved",
        "mfa.index",
        # the balancer's and the monitoring's: they never read the signed-in user
        "ops.healthz",
        "ops.readyz",
        "ops.metrics_page",
    }
)


def continue_sign_in(user: User, next_url: str):
    """Password verified: ask for the code, or sign in (then enrol, for mandatory roles).
    Inside the caller's transaction (portal.edge)."""
    if services.is_enrolled(db.session(), user_id=user.id):
        _await_code(user)
        return redirect(url_for("mfa.code", next=next_url))
    sessions.begin(user, method="password")
    if rules.is_mandatory(user.roles):
        flash(
            _(
                "Administrators and fund managers sign in with a second factor. Set up an "
                "authenticator app to continue."
            ),
            "error",
        )
        return redirect(url_for("mfa.enrol", next=next_url))
    return redirect(next_url)


def _await_code(user: User) -> None:
    lang = session.get("lang")
    if current_user.is_authenticated:
        sessions.end()  # whoever was signed in here is signed out first
    session.clear()
    if lang:
        session["lang"] = lang
    session[PENDING] = {"user_id": user.id, "at": int(utcnow().timestamp())}


def pending_user() -> User | None:
    """The account whose password was checked less than five minutes ago, if any."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    started = datetime.fromtimestamp(int(pending.get("at", 0)), UTC)
    if not rules.pending_valid(started, utcnow()):
        return None
    user = db.session().get(User, int(pending.get("user_id", 0)))
    return user if user is not None and user.is_active else None


def had_pending() -> bool:
    return PENDING in session


def drop_pending() -> None:
    session.pop(PENDING, None)


def finish_sign_in(user: User, method: str, next_url: str, *, codes_left: int | None = None):
    """The code was right: the session starts, marked as having its second factor (inside
    the caller's transaction)."""
    sessions.begin(user, second_factor=True, method="password+" + method)
    if codes_left is not None:
        flash(
            _(
                "You signed in with a recovery code; %(n)s are left. If your authenticator "
                "is lost, set up a new one now.",
                n=codes_left,
            ),
            "error",
        )
        return redirect(url_for("mfa.index"))
    return redirect(next_url)


def require_second_factor():
    """Before every request: a privileged session without its second factor may only set
    one up (or confirm it, for an account that already has one)."""
    if request.endpoint in OPEN_ENDPOINTS or not current_user.is_authenticated:
        return None
    live = sessions.current()
    if live is None or live.second_factor or not rules.is_mandatory(current_user.roles):
        return None
    here = request.full_path.rstrip("?") if request.method == "GET" else url_for("main.index")
    if services.is_enrolled(db.session(), user_id=current_user.id):
        return redirect(url_for("mfa.confirm", next=here))
    return redirect(url_for("mfa.enrol", next=here))
