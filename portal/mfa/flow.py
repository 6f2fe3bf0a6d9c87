"""What happens after the password was right: the second factor, then the session."""

from flask import redirect

from funds.models.accounts import User

from portal import db
from portal.auth import sessions


def continue_sign_in(user: User, next_url: str):
    """Password verified: start the session (the second-factor step slots in here)."""
    sessions.begin(user, method="password")
    db.commit()
    return redirect(next_url)
