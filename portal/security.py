"""Sign-in plumbing and the permission check of views."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_babel import gettext
from flask_login import AnonymousUserMixin, current_user, login_required

from funds.accounts.models import User
from funds.errors import N_
from portal.extensions import login_manager


class Anonymous(AnonymousUserMixin):
    """A visitor: no roles, no saved language."""

    roles = frozenset()
    locale = None
    id = None

    def has_role(self, *roles: str) -> bool:
        return False


login_manager.anonymous_user = Anonymous
# Flask-Login's prompt to sign in, in the reader's language (its own is English only)
login_manager.login_message = N_("Please sign in to open this page.")
login_manager.localize_callback = gettext


@login_manager.user_loader
def load_user(secret: str) -> User | None:
    """The session cookie carries a random secret; the server checks its hash, timeouts
    and revocation on every request."""
    from portal.auth.sessions import load

    return load(secret) if secret else None


def requires(predicate: Callable[[User], bool]):
    """Signed in (else the sign-in page) and allowed by the domain's predicate (else 403):
    `@requires(can_manage_reviews)` names what the view allows, not the roles that allow it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapped.predicate = predicate  # type: ignore[attr-defined]  # read by the tests
        return wrapped

    return decorator
