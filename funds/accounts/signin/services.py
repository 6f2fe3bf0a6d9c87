"""Use cases of the accounts feature: e-mailed tokens, server-side sessions, throttled sign-in.

Each service flushes and returns; the request edge commits.
"""

import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy.orm import contains_eager
from sqlmodel import Session, col, select

from funds import audit
from funds.accounts import rules
from funds.accounts.errors import InvalidToken
from funds.accounts.models import (
    AccountToken,
    Role,
    SignInThrottle,
    User,
    UserRole,
    UserSession,
)
from funds.accounts.passwords import hash_password, spend_time, verify_password
from funds.clock import utcnow
from funds.errors import N_

session_policy = rules.SessionPolicy()
throttle_policy = rules.ThrottlePolicy()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# --- Single-use e-mailed tokens (ASVS 5.0 V6.3, V6.4) -------------------------------------


def issue_token(session: Session, *, purpose: str, user_id: int | None, payload: str = "") -> str:
    """A new secret for this purpose; earlier unused ones of the same user are withdrawn."""
    now = utcnow()
    if user_id is not None:
        for old in session.exec(
            select(AccountToken).where(
                AccountToken.user_id == user_id,
                AccountToken.purpose == purpose,
                col(AccountToken.used_at).is_(None),
            )
        ):
            old.used_at = now
            session.add(old)
    raw = new_secret()
    session.add(
        AccountToken(
            purpose=purpose,
            user_id=user_id,
            payload=payload,
            token_hash=rules.token_hash(raw),
            expires_at=now + rules.TOKEN_LIFETIME[purpose],
        )
    )
    session.flush()
    return raw


def check_token(session: Session, *, purpose: str, raw: str) -> AccountToken:
    """The live token behind a link, without using it up (to show its form)."""
    token = session.exec(
        select(AccountToken).where(AccountToken.token_hash == rules.token_hash(raw or ""))
    ).first()
    if (
        token is None
        or token.purpose != purpose
        or token.used_at is not None
        or utcnow() >= token.expires_at
    ):
        raise InvalidToken(
            N_("This link is not valid any more. Links work once and expire; ask for a new one.")
        )
    return token


def use_token(session: Session, *, purpose: str, raw: str) -> AccountToken:
    """Check and use up a token in the caller's transaction."""
    token = check_token(session, purpose=purpose, raw=raw)
    token.used_at = utcnow()
    session.add(token)
    session.flush()
    return token


# --- Server-side sessions (ASVS 5.0 V7) ----------------------------------------------------


def start_session(
    session: Session,
    *,
    user: User,
    client_ip: str = "",
    user_agent: str = "",
    second_factor: bool = False,
    method: str = "password",
) -> str:
    """A new session for a user who just proved who they are; returns the cookie's secret."""
    raw = new_secret()
    live = UserSession(
        user_id=user.id,
        token_hash=rules.token_hash(raw),
        second_factor=second_factor,
        client_ip=client_ip[:45],
        user_agent=user_agent[:200],
    )
    session.add(live)
    session.flush()
    # The address and browser stay in the (erasable) session row, not in the append-only log.
    audit.record(
        session,
        actor_id=user.id,
        object_type="user",
        object_id=user.id,
        action="sign_in",
        detail=f"{method}, session {live.id}",
    )
    session.flush()
    return raw


def _privileged(user: User) -> bool:
    return user.has_role(Role.ADMIN, Role.MANAGER)


@dataclass(frozen=True)
class SessionCheck:
    """The outcome of reading a session cookie: `user` is None when it no longer holds."""

    user: User | None
    live: UserSession | None
    expired: bool = False  # idle or too old: revoke it (`note_activity`)
    touch: bool = False  # still fine, but last-seen is due an update


# The query of every signed-in request, built once: the session by its token's hash, its user
# and the user's roles (which every permission check needs), in one round trip.
SESSION_BY_TOKEN = (
    select(UserSession, User)
    .join(User, col(User.id) == UserSession.user_id)
    .outerjoin(UserRole, col(UserRole.user_id) == User.id)
    .options(contains_eager(User.role_rows))  # type: ignore[arg-type]
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def load_session(
    session: Session, raw: str, *, policy: rules.SessionPolicy | None = None
) -> SessionCheck:
    """Who a session cookie belongs to; reads only (one query: the session, its user and the
    user's roles), so every request stays cheap."""
    policy = policy or session_policy
    rows = (
        session.exec(SESSION_BY_TOKEN, params={"token_hash": rules.token_hash(raw)})
        .unique()  # type: ignore[attr-defined]  # SQLAlchemy's Result; SQLModel's stub lacks it
        .all()
    )
    if not rows:
        return SessionCheck(None, None)
    live, user = rows[0]
    if live.revoked_at is not None or not user.is_active:
        return SessionCheck(None, live)
    now = utcnow()
    if rules.session_expired(
        now=now,
        created_at=live.created_at,
        last_seen_at=live.last_seen_at,
        privileged=_privileged(user),
        policy=policy,
    ):
        return SessionCheck(None, live, expired=True)
    return SessionCheck(user, live, touch=now - live.last_seen_at > policy.touch_every)


def note_activity(session: Session, *, session_id: int, expired: bool) -> None:
    """Record last-seen, or end a session that timed out (its own small transaction)."""
    live = session.get(UserSession, session_id)
    if live is None or live.revoked_at is not None:
        return
    if expired:
        live.revoked_at = utcnow()
        audit.record(
            session,
            actor_id=live.user_id,
            object_type="user",
            object_id=live.user_id,
            action="session_expired",
        )
    else:
        live.last_seen_at = utcnow()
    session.add(live)
    session.flush()


def rotate_session(
    session: Session,
    live: UserSession,
    *,
    reauthenticated: bool = False,
    second_factor: bool | None = None,
) -> str:
    """A new cookie secret for the same session (privilege change, re-authentication)."""
    raw = new_secret()
    live.token_hash = rules.token_hash(raw)
    if reauthenticated:
        live.authenticated_at = utcnow()
    if second_factor is not None:
        live.second_factor = second_factor
    session.add(live)
    session.flush()
    return raw


def end_session(session: Session, *, raw: str) -> None:
    """Sign out this browser: its session is revoked on the server."""
    live = session.exec(
        select(UserSession).where(UserSession.token_hash == rules.token_hash(raw))
    ).first()
    if live is not None and live.revoked_at is None:
        live.revoked_at = utcnow()
        session.add(live)
        audit.record(
            session,
            actor_id=live.user_id,
            object_type="user",
            object_id=live.user_id,
            action="sign_out",
        )
        session.flush()


def revoke_sessions(session: Session, *, user_id: int, keep_id: int | None = None) -> int:
    """End every session of a user (but `keep_id`); returns how many were live."""
    now, n = utcnow(), 0
    for live in session.exec(
        select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None)
        )
    ):
        if live.id != keep_id:
            live.revoked_at, n = now, n + 1
            session.add(live)
    session.flush()
    return n


def live_sessions(session: Session, *, user_id: int) -> list[UserSession]:
    return list(
        session.exec(
            select(UserSession)
            .where(UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))
            .order_by(col(UserSession.last_seen_at).desc())
        )
    )


def is_recent(live: UserSession, *, policy: rules.SessionPolicy | None = None) -> bool:
    """Signed in (or re-authenticated) recently enough for a sensitive action."""
    return utcnow() - live.authenticated_at <= (policy or session_policy).reauth_within


# --- Throttled sign-in (ASVS 5.0 V6.3.1) -----------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    """What happened: `user` is set only when the password was right and nothing refused."""

    user: User | None = None
    refused: rules.Verdict | None = None
    unverified: bool = False
    locked_now: bool = False  # this attempt locked the account: e-mail the owner
    account: User | None = None  # the account the e-mail names, if it exists


def _throttle(session: Session, key: str) -> SignInThrottle:
    return session.get(SignInThrottle, key) or SignInThrottle(key=key)


def _state(row: SignInThrottle) -> rules.ThrottleState:
    return rules.ThrottleState(
        row.failures, row.first_failure_at, row.last_failure_at, row.locked_until
    )


def _store(session: Session, row: SignInThrottle, state: rules.ThrottleState) -> None:
    row.failures, row.first_failure_at = state.failures, state.first_failure_at
    row.last_failure_at, row.locked_until = state.last_failure_at, state.locked_until
    session.add(row)


def sign_in(session: Session, *, email: str, password: str, client_ip: str) -> SignInResult:
    """Check a password under per-account and per-address throttles; log every outcome."""
    now, policy = utcnow(), throttle_policy
    account_row = _throttle(session, "account:" + rules.fold_email(email)[:250])
    address_row = _throttle(session, "address:" + client_ip[:45])
    user = session.exec(select(User).where(User.email == rules.fold_email(email))).first()
    for row, limit in ((account_row, None), (address_row, policy.address_limit)):
        verdict = rules.judge(_state(row), now, policy, limit=limit)
        if not verdict.allowed:
            _log(session, user, "sign_in_throttled", client_ip)
            return SignInResult(refused=verdict, account=user)
    if user is None or not user.is_active:
        spend_time(password)
        ok = False
    else:
        ok, stale = verify_password(user.password_hash, password)
        if ok and stale:
            user.password_hash = hash_password(password)
            session.add(user)
    if not ok:
        account_state = rules.after_failure(_state(account_row), now, policy)
        _store(session, account_row, account_state)
        _store(
            session,
            address_row,
            rules.after_failure(_state(address_row), now, policy, lockable=False),
        )
        locked = account_state.locked_until == now + policy.lock_for
        _log(session, user, "sign_in_locked" if locked else "sign_in_failed", client_ip)
        session.flush()
        return SignInResult(locked_now=locked, account=user)
    assert user is not None  # a password matched, so the account exists
    if user.email_verified_at is None:
        return SignInResult(unverified=True, account=user)
    clear_throttle(session, email=user.email)
    return SignInResult(user=user, account=user)


def clear_throttle(session: Session, *, email: str) -> None:
    """Forget failed attempts on an account (right password, unlock link, reset)."""
    row = session.get(SignInThrottle, "account:" + rules.fold_email(email)[:250])
    if row is not None:
        session.delete(row)
        session.flush()


def _log(session: Session, user: User | None, action: str, client_ip: str) -> None:
    # No e-mail address in the log: an unknown account is object 0 (personal data, Law 91).
    # The client address of a failed attempt is kept: it identifies the attempt's source,
    # which is what the log is for (ASVS 5.0 V16.2.1), not the account's owner.
    audit.record(
        session,
        actor_id=None,
        object_type="user",
        object_id=user.id if user else 0,
        action=action,
        detail=f"from {client_ip}",
    )
