"""Re-authentication before sensitive actions (ASVS 5.0 V7.5.1, V7.5.3)."""

from functools import wraps
from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from funds.accounts.signin.services import is_recent
from portal.auth import sessions


def reauth_required(view):
    """The view needs a sign-in, or a confirmation of the password (and code), within the
    last REAUTH_MINUTES. Put it below the login or role decorator.

    A stale GET goes to the confirmation page and comes back; a stale POST is not carried
    out, and its form page is shown again after the confirmation, with a message saying so,
    rather than replaying (or silently dropping) what was sent."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        live = sessions.current()
        if live is None or is_recent(live):
            return view(*args, **kwargs)
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("mfa.confirm", next=request.full_path.rstrip("?")))
        flash(
            _(
                "For your security, confirm that it is you. Nothing was saved: after the "
                "confirmation, please do it again."
            ),
            "error",
        )
        return redirect(url_for("mfa.confirm", next=_referring_page()))

    wrapped.reauth_required = True
    return wrapped


def _referring_page() -> str:
    """The page the form was sent from, when it is on this site; else the home page."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path:
        return url_for("main.index")
    return parts.path + ("?" + parts.query if parts.query else "")
