"""Password storage: argon2id at OWASP's parameters, older hashes verified and replaced.

OWASP Password Storage Cheat Sheet (2025): argon2id with m=19 MiB, t=2, p=1. Hashes written
by earlier versions (werkzeug's `scrypt:` and `pbkdf2:` formats) are still accepted and
re-hashed on the next successful sign-in (ASVS 5.0 V11.4.2).
"""

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's figures; the portal may lower them for tests only (create_app, TESTING).
settings = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hashers: dict[tuple, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    key = (settings["time_cost"], settings["memory_cost"], settings["parallelism"])
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], parallelism=key[2])
    return _hashers[key]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def unusable_password() -> str:
    """A value no password verifies against (accounts waiting for a set-password link)."""
    return "!" + secrets.token_hex(16)


def verify_password(stored: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash) for a stored hash of any supported format."""
    if stored.startswith("$argon2"):
        try:
            ok = _hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False, False
        return ok, _hasher().check_needs_rehash(stored)
    if stored.startswith(("scrypt:", "pbkdf2:")):
        return _verify_legacy(stored, password), True
    return False, False


def spend_time(password: str) -> None:
    """Spend a real check's time when there is no account, so timing reveals nothing."""
    hash_password(password)


def _verify_legacy(stored: str, password: str) -> bool:
    """werkzeug's `method$salt$hexdigest` formats, without importing werkzeug."""
    try:
        method, salt, digest = stored.split("$", 2)
        name, *args = method.split(":")
        if name == "scrypt":
            n, r, p = (int(a) for a in args) if args else (2**15, 8, 1)
            got = hashlib.scrypt(
                password.encode(), salt=salt.encode(), n=n, r=r, p=p, maxmem=132 * n * r * p
            ).hex()
        elif name == "pbkdf2":
            algo = args[0] if args else "sha256"
            iterations = int(args[1]) if len(args) > 1 else 600_000
            got = hashlib.pbkdf2_hmac(algo, password.encode(), salt.encode(), iterations).hex()
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, digest)
