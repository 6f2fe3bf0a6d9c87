"""Pure rules of the second factor: TOTP codes, replay, recovery codes, sealing secrets.

Sources: RFC 6238 (TOTP) and RFC 4226 (HOTP); OWASP ASVS 5.0 (May 2025) V6.5 (general
multi-factor requirements, lookup secrets), V6.6 (out-of-band and time-based codes) and
V6.3.1 (rate limiting).
"""

import base64
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from funds.accounts.rules import ThrottlePolicy

MANDATORY_ROLES = frozenset({"admin", "manager"})  # issue #11: privileged accounts need MFA

STEP_SECONDS = 30  # RFC 6238 §5.2: the recommended time step
DIGITS = 6
DRIFT_STEPS = 1  # RFC 6238 §6: one step either way absorbs clock skew and typing time
SECRET_LENGTH = 32  # base32 characters: 160 bits, RFC 4226 §4 R6 recommends 160

RECOVERY_CODE_COUNT = 10
# Crockford-style alphabet without 0/O, 1/I/L and U: nothing a person misreads.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CODE_LENGTH = 12  # ~59 bits, so stored with argon2id (ASVS 5.0 V6.5.2 below 112 bits)

PENDING_LIFETIME = timedelta(minutes=5)  # between the password and the code at sign-in
CODES_PER_SIGN_IN = 5  # wrong codes before the password must be typed again
# Across sign-ins: a growing delay, then a lockout (ASVS 5.0 V6.3.1, V6.6.3).
THROTTLE = ThrottlePolicy(
    free_failures=CODES_PER_SIGN_IN,
    max_delay=timedelta(seconds=30),
    lock_after=10,
    lock_for=timedelta(minutes=15),
    window=timedelta(minutes=15),
)

SEAL_VERSION = "v1"
_SEAL_INFO = b"rdfund/mfa/totp-secret/v1"


def is_mandatory(roles) -> bool:
    """Whether accounts with these roles must use a second factor."""
    return bool(MANDATORY_ROLES & set(roles))


def time_step(now: datetime) -> int:
    """The RFC 6238 counter of an aware instant."""
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The code an authenticator with `secret` shows during time step `step`."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def normalise(code: str) -> str:
    """What was typed, without spaces and dashes, in capitals."""
    return "".join(ch for ch in (code or "") if ch not in " -\t\u00a0").upper()


def looks_like_totp(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def accepted_step(secret: str, code: str, *, step: int, last_used_step: int | None) -> int | None:
    """The time step `code` belongs to, within the drift window and after the last step
    used (so a code, or an older one, is never accepted twice); None when refused."""
    code = normalise(code)
    if not looks_like_totp(code):
        return None
    found = None
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if last_used_step is not None and candidate <= last_used_step:
            continue
        # compare every candidate, so timing does not tell which step matched
        if hmac.compare_digest(code_at(secret, candidate), code) and found is None:
            found = candidate
    return found


def grouped_key(secret: str) -> str:
    """The base32 key in groups of four, for typing into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI authenticator apps read (from a QR code or a link)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def format_recovery_code(chars: str) -> str:
    """A recovery code as shown: XXXX-XXXX-XXXX."""
    chars = normalise(chars)
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def looks_like_recovery_code(code: str) -> bool:
    code = normalise(code)
    return len(code) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)


def pending_valid(started_at: datetime, now: datetime) -> bool:
    """Is a password checked at `started_at` still good for the code step?"""
    return timedelta(0) <= now - started_at <= PENDING_LIFETIME


@dataclass(frozen=True)
class SignInAttempts:
    """What the code step does after a wrong code."""

    back_to_password: bool
    remaining: int


def after_wrong_code(failures: int) -> SignInAttempts:
    """After the account's `failures`-th wrong code in the throttle window: every
    CODES_PER_SIGN_IN wrong codes, the password must be typed again."""
    remaining = CODES_PER_SIGN_IN - failures % CODES_PER_SIGN_IN
    if failures > 0 and failures % CODES_PER_SIGN_IN == 0:
        return SignInAttempts(back_to_password=True, remaining=0)
    return SignInAttempts(back_to_password=False, remaining=remaining)


# --- TOTP secrets at rest ------------------------------------------------------------------
# The secret must be readable to check codes, so it cannot be hashed; it is sealed with
# AES-256-GCM under a key derived from the application's key, and bound to its account, so a
# copy of the database alone reveals no secret and a sealed value moved to another account
# does not open.


def derive_key(application_key: str | bytes) -> bytes:
    """A 256-bit key for TOTP secrets, derived (HKDF-SHA256) from the application's key."""
    material = application_key.encode() if isinstance(application_key, str) else application_key
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(material)


def _aad(user_id: int) -> bytes:
    return f"totp:{user_id}".encode()


def seal(secret: str, *, key: bytes, user_id: int, nonce: bytes) -> str:
    """`secret` encrypted for storage; `nonce` is 12 random bytes, never reused."""
    box = AESGCM(key).encrypt(nonce, secret.encode(), _aad(user_id))
    return SEAL_VERSION + "." + base64.urlsafe_b64encode(nonce + box).decode()


def unseal(sealed: str, *, key: bytes, user_id: int) -> str | None:
    """The secret inside `sealed`, or None if the key or the account does not match."""
    version, _, body = sealed.partition(".")
    if version != SEAL_VERSION:
        return None
    try:
        data = base64.urlsafe_b64decode(body.encode())
        return AESGCM(key).decrypt(data[:12], data[12:], _aad(user_id)).decode()
    except (InvalidTag, ValueError):
        return None
