"""Sign-in plumbing and role checks for views."""

from functools import wraps

from flask import abort
from flask_login import AnonymousUserMixin, current_user, login_required

from funds.models.accounts import User

from portal import db
from portal.extensions import login_manager


class Anonymous(AnonymousUserMixin):
    """A visitor: no roles, no saved language."""

    roles = frozenset()
    locale = None
    id = None

    def has_role(self, *roles: str) -> bool:
        return False


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The session carries "id:token"; rotating the token revokes every session."""
    user_id, _, session_token = token.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != session_token:
        return None
    return user


def role_required(*roles: str):
    """Signed in and holding one of the roles, else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def add_security_headers(response):
    """Defence in depth for every response (OWASP ASVS 14.4)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy",
                                "frame-ancestors 'none'; object-src 'none'; base-uri 'self'")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
