"""The browser side of server-side sessions: the cookie holds a random secret, the database
its hash (funds.accounts). Signing in rotates it; signing out revokes it on the server."""

from flask import g, request, session
from flask_login import login_user, logout_user
from sqlmodel import Session

from funds.accounts.models import User, UserSession
from funds.accounts.signin import services as sessions
from portal import db

# What a visitor was doing before signing in survives the fresh session: the language and an
# invitation opened from its link (its secret, which only that browser holds).
CARRIED_OVER = ("lang", "invitation_secret")


def client_ip() -> str:
    return (request.remote_addr or "")[:45]


def begin(user: User, *, second_factor: bool = False, method: str = "password") -> None:
    """Sign this browser in as `user` with a brand-new session (ASVS 5.0 V7.2.4)."""
    kept = {k: session[k] for k in CARRIED_OVER if k in session}
    session.clear()
    session.update(kept)
    secret = sessions.start_session(
        db.session(),
        user=user,
        client_ip=client_ip(),
        user_agent=request.user_agent.string or "",
        second_factor=second_factor,
        method=method,
    )
    user._session_secret = secret
    login_user(user)
    session["lang"] = user.locale or kept.get("lang")


def current() -> UserSession | None:
    """The server-side session of this request, if signed in."""
    return g.get("live_session")


def rotate(*, reauthenticated: bool = False, second_factor: bool | None = None) -> None:
    """A new secret for the same session after a privilege change or re-authentication."""
    live = current()
    if live is None:
        return
    secret = sessions.rotate_session(
        db.session(), live, reauthenticated=reauthenticated, second_factor=second_factor
    )
    session["_user_id"] = secret


def end() -> None:
    """Sign out: the server forgets this session, so a copied cookie is worthless."""
    secret = session.get("_user_id")
    if secret:
        sessions.end_session(db.session(), raw=secret)
    logout_user()
    session.clear()


def load(secret: str) -> User | None:
    """Flask-Login's user loader: the session's user if it still holds."""
    check = sessions.load_session(db.session(), secret)
    if check.live is not None and (check.expired or check.touch):
        with Session(db.engine()) as side:  # bookkeeping commits apart from the request's work
            sessions.note_activity(side, session_id=check.live.id, expired=check.expired)
            side.commit()
    if check.user is None:
        return None
    check.user._session_secret = secret
    g.live_session = check.live
    return check.user
