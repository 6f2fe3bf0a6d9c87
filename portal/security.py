"""Sign-in plumbing and role checks for views."""

from functools import wraps

from flask import abort
from flask_login import AnonymousUserMixin, current_user, login_required

from funds.accounts.models import User
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
def load_user(secret: str) -> User | None:
    """The session cookie carries a random secret; the server checks its hash, timeouts
    and revocation on every request."""
    from portal.auth.sessions import load

    return load(secret) if secret else None


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

