"""Use cases of the second factor: enrol an authenticator, check codes, recovery codes,
re-authentication, disabling and an administrator's reset.

Each service flushes and returns; the request edge commits. TOTP secrets are stored sealed
with `sealing_key`, which the application sets from its configuration (see README,
"Two-factor sign-in"); recovery codes are stored as argon2id hashes.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlmodel import Session, col, select, update

from funds import audit
from funds.accounts import rules as account_rules
from funds.accounts.mfa import rules
from funds.accounts.mfa.errors import (
    NotEnrolled,
    SealingKeyMissing,
    SecondFactorMandatory,
    WrongCode,
)
from funds.accounts.mfa.models import RecoveryCode, TotpCredential
from funds.accounts.models import User
from funds.accounts.passwords import hash_password, verify_password
from funds.accounts.permissions import can_administer
from funds.accounts.signin import services as account_services
from funds.clock import utcnow
from funds.errors import N_, NotAllowed

ISSUER = "rdfund"
sealing_key: bytes | None = None  # set by the application: rules.derive_key(its key)


def _seal(secret: str, user_id: int) -> str:
    if sealing_key is None:
        raise SealingKeyMissing("funds.accounts.mfa.services.sealing_key is not set")
    return rules.seal(secret, key=sealing_key, user_id=user_id, nonce=secrets.token_bytes(12))


def _unseal(sealed: str, user_id: int) -> str | None:
    """The secret, or None when the sealing key changed since it was stored: its owner then
    signs in with a recovery code and sets up the app again (README)."""
    if sealing_key is None:
        raise SealingKeyMissing("funds.accounts.mfa.services.sealing_key is not set")
    return rules.unseal(sealed, key=sealing_key, user_id=user_id)


def _credential(session: Session, user_id: int) -> TotpCredential | None:
    return session.exec(select(TotpCredential).where(TotpCredential.user_id == user_id)).first()


def _log(
    session: Session, actor_id: int | None, user_id: int, action: str, detail: str = ""
) -> None:
    audit.record(
        session,
        actor_id=actor_id,
        object_type="user",
        object_id=user_id,
        action=action,
        detail=detail,
    )


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """An account's second factor, for its security page."""

    enrolled: bool
    mandatory: bool
    confirmed_at: datetime | None = None
    recovery_codes_left: int = 0


def is_enrolled(session: Session, *, user_id: int) -> bool:
    """Has this account a confirmed authenticator?"""
    cred = _credential(session, user_id)
    return cred is not None and cred.secret is not None


def status(session: Session, *, user: User) -> Status:
    cred = _credential(session, user.id)
    mandatory = rules.is_mandatory(user.roles)
    if cred is None or cred.secret is None:
        return Status(enrolled=False, mandatory=mandatory)
    left = len(_unused_codes(session, user.id))
    return Status(True, mandatory, cred.confirmed_at, left)


# --- Enrolment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the key, typed or scanned."""

    secret: str
    grouped: str
    uri: str


def _enrolment(secret: str, user: User) -> Enrolment:
    return Enrolment(
        secret,
        rules.grouped_key(secret),
        rules.provisioning_uri(secret, account=user.email, issuer=ISSUER),
    )


def start_enrolment(session: Session, *, actor: User, secret: str | None = None) -> Enrolment:
    """A new secret, generated here, waits for a code from the app; an authenticator
    already enrolled keeps working until then. `secret` is for the demo data only."""
    secret = secret or pyotp.random_base32(rules.SECRET_LENGTH)
    cred = _credential(session, actor.id) or TotpCredential(user_id=actor.id)
    cred.pending_secret = _seal(secret, actor.id)
    session.add(cred)
    _log(session, actor.id, actor.id, "mfa_enrolment_started")
    session.flush()
    return _enrolment(secret, actor)


def pending_enrolment(session: Session, *, actor: User) -> Enrolment | None:
    """The enrolment under way, to show its key again (a reload, a wrong code)."""
    cred = _credential(session, actor.id)
    secret = _unseal(cred.pending_secret, actor.id) if cred and cred.pending_secret else None
    return _enrolment(secret, actor) if secret else None


def confirm_enrolment(
    session: Session, *, actor: User, code: str, now: datetime | None = None
) -> list[str]:
    """A code from the app proves it holds the new secret: it becomes the account's second
    factor, and ten new recovery codes replace any earlier ones (returned, shown once)."""
    now = now or utcnow()
    cred = _credential(session, actor.id)
    if cred is None or cred.pending_secret is None:
        raise NotEnrolled(N_("Start the set-up again: no authenticator is being added."))
    secret = _unseal(cred.pending_secret, actor.id)
    step = (
        rules.accepted_step(secret, code, step=rules.time_step(now), last_used_step=None)
        if secret
        else None
    )
    if step is None:
        raise WrongCode(
            N_(
                "That code does not match. Check that the app shows rdfund, then "
                "type the code it shows now."
            )
        )
    replacing = cred.secret is not None
    cred.secret, cred.pending_secret = cred.pending_secret, None
    cred.confirmed_at, cred.last_used_step = now, step
    _store_throttle(cred, account_rules.ThrottleState())
    session.add(cred)
    codes = _replace_recovery_codes(session, actor.id)
    _log(session, actor.id, actor.id, "mfa_replaced" if replacing else "mfa_enabled")
    session.flush()
    return codes


# --- Recovery codes ------------------------------------------------------------------------


def _unused_codes(session: Session, user_id: int) -> list[RecoveryCode]:
    return list(
        session.exec(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None)
            )
        )
    )


def _replace_recovery_codes(session: Session, user_id: int) -> list[str]:
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)):
        session.delete(old)
    codes = [
        rules.format_recovery_code(
            "".join(
                secrets.choice(rules.RECOVERY_ALPHABET) for _ in range(rules.RECOVERY_CODE_LENGTH)
            )
        )
        for _ in range(rules.RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=hash_password(rules.normalise(code))))
    return codes


def regenerate_recovery_codes(session: Session, *, actor: User) -> list[str]:
    """Ten new recovery codes; every earlier one stops working."""
    if not is_enrolled(session, user_id=actor.id):
        raise NotEnrolled(N_("Set up an authenticator app first."))
    codes = _replace_recovery_codes(session, actor.id)
    _log(session, actor.id, actor.id, "mfa_recovery_codes_replaced")
    session.flush()
    return codes


# --- Checking a code (sign-in, re-authentication) -----------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: `method` is set when accepted."""

    method: str | None = None  # "totp" or "recovery_code"
    refused: account_rules.Verdict | None = None  # throttled: not even checked
    attempts: rules.SignInAttempts | None = None  # after a wrong code
    locked_now: bool = False
    recovery_codes_left: int | None = None

    @property
    def ok(self) -> bool:
        return self.method is not None


def _state(cred: TotpCredential) -> account_rules.ThrottleState:
    return account_rules.ThrottleState(
        cred.failures, cred.first_failure_at, cred.last_failure_at, cred.locked_until
    )


def _store_throttle(cred: TotpCredential, state: account_rules.ThrottleState) -> None:
    cred.failures, cred.first_failure_at = state.failures, state.first_failure_at
    cred.last_failure_at, cred.locked_until = state.last_failure_at, state.locked_until


def _use_step(session: Session, cred: TotpCredential, step: int) -> bool:
    """Record the step, unless a concurrent request used it (or a later one) first."""
    result = session.exec(
        update(TotpCredential)
        .where(
            col(TotpCredential.id) == cred.id,
            col(TotpCredential.last_used_step).is_(None)
            | (col(TotpCredential.last_used_step) < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    cred.last_used_step = step
    return result.rowcount == 1


def _use_recovery_code(session: Session, user_id: int, code: str, now: datetime) -> bool:
    for row in _unused_codes(session, user_id):
        if verify_password(row.code_hash, code)[0]:
            result = session.exec(
                update(RecoveryCode)
                .where(col(RecoveryCode.id) == row.id, col(RecoveryCode.used_at).is_(None))
                .values(used_at=now)
                .execution_options(synchronize_session=False)
            )
            row.used_at = now
            return result.rowcount == 1
    return False


def _matches(session: Session, cred: TotpCredential, code: str, now: datetime) -> str | None:
    code = rules.normalise(code)
    if rules.looks_like_totp(code):
        secret = _unseal(cred.secret, cred.user_id) if cred.secret else None
        step = (
            rules.accepted_step(
                secret, code, step=rules.time_step(now), last_used_step=cred.last_used_step
            )
            if secret
            else None
        )
        return "totp" if step is not None and _use_step(session, cred, step) else None
    if rules.looks_like_recovery_code(code) and _use_recovery_code(
        session, cred.user_id, code, now
    ):
        return "recovery_code"
    return None


def check_code(
    session: Session,
    *,
    user_id: int,
    code: str,
    purpose: str = "sign_in",
    now: datetime | None = None,
) -> CodeCheck:
    """Check a code from the app, or a recovery code, under the account's code throttle.

    Wrong, throttled and recovery-code outcomes are written to the audit log (never the
    code); a code is accepted once only."""
    now = now or utcnow()
    cred = _credential(session, user_id)
    if cred is None or cred.secret is None:
        raise NotEnrolled(N_("Set up an authenticator app first."))
    verdict = account_rules.judge(_state(cred), now, rules.THROTTLE)
    if not verdict.allowed:
        _log(session, None, user_id, "mfa_code_throttled", purpose)
        session.flush()
        return CodeCheck(refused=verdict)
    method = _matches(session, cred, code, now)
    if method is None:
        return _wrong(session, cred, now, purpose)
    _store_throttle(cred, account_rules.ThrottleState())
    session.add(cred)
    left = None
    if method == "recovery_code":
        left = len(_unused_codes(session, user_id))
        _log(session, None, user_id, "mfa_recovery_code_used", f"{purpose}; {left} left")
    session.flush()
    return CodeCheck(method=method, recovery_codes_left=left)


def _wrong(session: Session, cred: TotpCredential, now: datetime, purpose: str) -> CodeCheck:
    state = account_rules.after_failure(_state(cred), now, rules.THROTTLE)
    _store_throttle(cred, state)
    session.add(cred)
    locked = state.locked_until == now + rules.THROTTLE.lock_for
    _log(session, None, cred.user_id, "mfa_code_locked" if locked else "mfa_code_failed", purpose)
    session.flush()
    attempts = (
        rules.SignInAttempts(back_to_password=True, remaining=0)
        if locked
        else rules.after_wrong_code(state.failures)
    )
    return CodeCheck(attempts=attempts, locked_now=locked)


# --- Re-authentication ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reauthentication:
    """The outcome of confirming one's identity again before a sensitive action."""

    ok: bool = False
    wrong_password: bool = False
    password_refused: account_rules.Verdict | None = None
    code: CodeCheck | None = None


def reauthenticate(
    session: Session, *, actor: User, password: str, code: str, client_ip: str = ""
) -> Reauthentication:
    """The password (throttled as at sign-in) and, when enrolled, a code; logged."""
    result = account_services.sign_in(
        session, email=actor.email, password=password, client_ip=client_ip
    )
    if result.refused is not None:
        return Reauthentication(password_refused=result.refused)
    if result.user is None or result.user.id != actor.id:
        return Reauthentication(wrong_password=True)
    check = None
    if is_enrolled(session, user_id=actor.id):
        check = check_code(session, user_id=actor.id, code=code, purpose="reauthentication")
        if not check.ok:
            return Reauthentication(code=check)
    _log(
        session,
        actor.id,
        actor.id,
        "reauthenticated",
        f"password+{check.method}" if check else "password",
    )
    session.flush()
    return Reauthentication(ok=True, code=check)


# --- Turning it off ------------------------------------------------------------------------


def _remove(session: Session, user_id: int) -> None:
    cred = _credential(session, user_id)
    if cred is not None:
        session.delete(cred)
    for row in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)):
        session.delete(row)


def disable(session: Session, *, actor: User) -> None:
    """Stop asking this account for a code; refused where a second factor is mandatory."""
    if rules.is_mandatory(actor.roles):
        raise SecondFactorMandatory(
            N_(
                "Administrators and fund managers must keep two-factor "
                "sign-in. You can replace the authenticator instead."
            )
        )
    if not is_enrolled(session, user_id=actor.id):
        raise NotEnrolled(N_("Two-factor sign-in is not on for this account."))
    _remove(session, actor.id)
    _log(session, actor.id, actor.id, "mfa_disabled")
    session.flush()


def reset_for_user(session: Session, *, actor: User, user_id: int) -> None:
    """An administrator removes a lost authenticator: the owner's sessions end, and the
    owner sets up a new one at the next sign-in (at once, for mandatory roles)."""
    if not can_administer(actor):
        raise NotAllowed(N_("Only administrators can do this."))
    _remove(session, user_id)
    account_services.revoke_sessions(session, user_id=user_id)
    _log(session, actor.id, user_id, "mfa_reset")
    session.flush()
