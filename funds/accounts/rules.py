"""Pure rules of the accounts feature: passwords, token lifetimes, session timeouts, throttling.

Sources: OWASP ASVS 5.0 (May 2025) V6 authentication and V7 session management; OWASP
Password Storage Cheat Sheet (argon2id, m=19 MiB, t=2, p=1).
"""

import gzip
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from funds.errors import N_
from funds.rules import Violation

MIN_PASSWORD_LENGTH = 12  # ASVS 5.0 V6.2.1: at least 12 characters (8 only with MFA)
MAX_PASSWORD_LENGTH = 128  # ASVS 5.0 V6.2.9: at least 64 allowed

# Lifetimes of e-mailed secrets (ASVS 5.0 V6.3: reset and activation secrets expire).
TOKEN_LIFETIME = {
    "verify_email": timedelta(days=2),
    "reset_password": timedelta(hours=1),
    "set_password": timedelta(days=7),  # accounts created by an administrator
    "change_email": timedelta(days=1),
    "unlock": timedelta(days=1),
    "invitation": timedelta(days=30),
}


def token_hash(raw: str) -> str:
    """What is stored for a secret: its SHA-256 (the secret itself has 192+ bits)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def fold_email(email: str) -> str:
    return email.strip().lower()


@cache
def _common_passwords() -> frozenset[str]:
    folder = resources.files("funds.data")
    words = gzip.decompress(folder.joinpath("common-passwords.txt.gz").read_bytes()).decode()
    extra = folder.joinpath("common-passwords-extra.txt").read_text(encoding="utf-8")
    return frozenset(words.split()) | frozenset(
        line.strip() for line in extra.splitlines() if line.strip() and line[0] != "#"
    )


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def password_violations(
    password: str, *, email: str = "", name: str = "", breached: frozenset[str] | None = None
) -> list[Violation]:
    """Length is the rule, not composition (ASVS 5.0 V6.2.5); breached or obvious ones are
    refused (V6.2.4, V6.2.11: not the e-mail or the name)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Violation(
                "password",
                N_("Passwords need at least %(n)s characters."),
                {"n": MIN_PASSWORD_LENGTH},
            )
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [Violation("password", N_("Passwords can have at most 128 characters."))]
    folded = _normalised(password)
    known = _common_passwords() if breached is None else breached
    if folded in known or password in known or len(set(folded)) < 4:
        return [
            Violation(
                "password",
                N_(
                    "This password is too common or appears in lists "
                    "of breached passwords. Choose another."
                ),
            )
        ]
    local = _normalised(email.split("@")[0]) if email else ""
    if (local and len(local) >= 4 and local in folded) or (
        name and _normalised(name).replace(" ", "") in folded.replace(" ", "")
    ):
        return [
            Violation("password", N_("The password must not contain your name or e-mail address."))
        ]
    return []


@dataclass(frozen=True)
class SessionPolicy:
    """Idle and absolute timeouts (ASVS 5.0 V7.3.1, V7.3.2)."""

    idle: timedelta = timedelta(hours=2)
    idle_privileged: timedelta = timedelta(minutes=30)  # administrators and fund managers
    absolute: timedelta = timedelta(hours=12)
    touch_every: timedelta = timedelta(seconds=60)  # last-seen is written at most this often
    reauth_within: timedelta = timedelta(minutes=10)  # sensitive actions need a recent sign-in


def session_expired(
    *,
    now: datetime,
    created_at: datetime,
    last_seen_at: datetime,
    privileged: bool,
    policy: SessionPolicy,
) -> bool:
    idle = policy.idle_privileged if privileged else policy.idle
    return now - last_seen_at > idle or now - created_at > policy.absolute


@dataclass(frozen=True)
class ThrottlePolicy:
    """Growing delay after a few failures, then a temporary lockout (ASVS 5.0 V6.3.1).

    The lockout is never permanent, and the owner of a locked account receives a link that
    unlocks it at once, so an attacker cannot keep the rightful user out."""

    free_failures: int = 3  # no delay for the first three mistakes
    max_delay: timedelta = timedelta(seconds=60)
    lock_after: int = 10  # failures within the window lock the account
    lock_for: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(minutes=15)
    address_limit: int = 30  # failures from one client address, any accounts


@dataclass(frozen=True)
class ThrottleState:
    failures: int = 0
    first_failure_at: datetime | None = None
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    locked: bool = False
    retry_after: int = 0  # seconds


def _in_window(state: ThrottleState, now: datetime, policy: ThrottlePolicy) -> bool:
    return state.first_failure_at is not None and now - state.first_failure_at <= policy.window


def delay_after(failures: int, policy: ThrottlePolicy) -> timedelta:
    """1, 2, 4, 8 … seconds after the free failures, at most `max_delay`."""
    if failures <= policy.free_failures:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - policy.free_failures - 1)), policy.max_delay)


def judge(
    state: ThrottleState, now: datetime, policy: ThrottlePolicy, *, limit: int | None = None
) -> Verdict:
    """May another password attempt be checked now for this account (or address)?"""
    if state.locked_until is not None and now < state.locked_until:
        return Verdict(False, locked=True, retry_after=_seconds(state.locked_until - now))
    first, last = state.first_failure_at, state.last_failure_at
    if first is None or not _in_window(state, now, policy):
        return Verdict(True)
    if limit is not None:
        if state.failures >= limit:
            return Verdict(False, locked=True, retry_after=_seconds(first + policy.window - now))
        return Verdict(True)
    ready_at = (last or first) + delay_after(state.failures, policy)
    if now < ready_at:
        return Verdict(False, retry_after=_seconds(ready_at - now))
    return Verdict(True)


def after_failure(
    state: ThrottleState, now: datetime, policy: ThrottlePolicy, *, lockable: bool = True
) -> ThrottleState:
    """The state after one more failure; the account locks at `lock_after` in the window."""
    if not _in_window(state, now, policy):
        state = ThrottleState(first_failure_at=now)
    failures = state.failures + 1
    locked = now + policy.lock_for if lockable and failures >= policy.lock_after else None
    return ThrottleState(
        failures=0 if locked else failures,
        first_failure_at=None if locked else state.first_failure_at,
        last_failure_at=now,
        locked_until=locked or state.locked_until,
    )


def _seconds(delta: timedelta) -> int:
    return max(1, int(delta.total_seconds() + 0.999))
