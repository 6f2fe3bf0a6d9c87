"""Configuration: defaults, then the environment, then the mapping given to create_app."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot run the portal safely."""


def defaults(instance_path: str) -> dict:
    return {
        "DATABASE_URL": f"sqlite:///{Path(instance_path) / 'rdfund.sqlite'}",
        # A read replica for reports and public pages (docs/deployment.md); None reads the
        # primary. Pages that change something, and every access check, use the primary.
        "DATABASE_REPLICA_URL": None,
        # Balancers in front of the portal that set X-Forwarded-For/-Proto/-Host (nginx in
        # docs/deployment.md: 1); 0 trusts no forwarding header
        "PROXY_COUNT": 0,
        "SECRET_KEY": None,
        "DEV_MODE": False,
        "TESTING": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ("vi", "en"),
        # Sessions (ASVS 5.0 V7.3): idle timeouts, absolute lifetime, re-authentication window
        "SESSION_IDLE_MINUTES": 120,
        "SESSION_IDLE_MINUTES_PRIVILEGED": 30,  # administrators and fund managers
        "SESSION_ABSOLUTE_HOURS": 12,
        "REAUTH_MINUTES": 10,
        # Sign-in throttling (ASVS 5.0 V6.3.1): failures in 15 minutes before a lockout
        "SIGN_IN_LOCK_AFTER": 10,
        "SIGN_IN_LOCK_MINUTES": 15,
        # Strict-Transport-Security (ASVS 5.0 V3.4.1): None is on outside development and
        # testing; True or False decides
        "HSTS": None,
        # Review reminders (docs/notifications.md): days before the due date, then every N
        # days once overdue
        "REVIEW_REMINDER_DAYS": "7,2",
        "REVIEW_OVERDUE_EVERY_DAYS": 3,
        # Operations (docs/operations.md): log lines as JSON or text (None: text in development
        # and testing, JSON otherwise), their level, and who may read /metrics (loopback, or a
        # bearer token when METRICS_TOKEN is set)
        "LOG_FORMAT": None,
        "LOG_LEVEL": None,  # INFO; WARNING under tests (command output stays the command's)
        "ACCESS_LOG": True,  # one line per request; off when the balancer's log is enough
        "METRICS_TOKEN": None,
        "METRICS_ALLOW_LOOPBACK": True,
        # Open data API (docs/public.md): per-client limits (flask-limiter syntax; empty: off)
        # and where counters live (None: RDFUND_REDIS_URL when set, else this process' memory)
        "API_RATE_LIMIT": "120 per minute; 5000 per day",
        "API_RATE_LIMIT_STORAGE": None,
        # Budget imports (docs/compliance.md, "Large imports"): from this many ledger lines,
        # PostgreSQL writes them with the bulk-load recipe, holding the ledger to itself for
        # the write (0: always line by line)
        "IMPORT_BULK_ROWS": 200_000,
    }


def from_environment() -> dict:
    """RDFUND_* variables; RDFUND_DEV=1 turns on development mode."""
    env = {}
    if os.environ.get("RDFUND_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["RDFUND_DATABASE_URL"]
    if os.environ.get("RDFUND_DATABASE_REPLICA_URL"):
        env["DATABASE_REPLICA_URL"] = os.environ["RDFUND_DATABASE_REPLICA_URL"]
    if os.environ.get("RDFUND_SECRET_KEY"):
        env["SECRET_KEY"] = os.environ["RDFUND_SECRET_KEY"]
    if os.environ.get("RDFUND_MFA_SECRET_KEY"):  # seals TOTP secrets; defaults to SECRET_KEY
        env["MFA_SECRET_KEY"] = os.environ["RDFUND_MFA_SECRET_KEY"]
    for key in (
        "SESSION_IDLE_MINUTES",
        "SESSION_IDLE_MINUTES_PRIVILEGED",
        "SESSION_ABSOLUTE_HOURS",
        "REAUTH_MINUTES",
        "SIGN_IN_LOCK_AFTER",
        "SIGN_IN_LOCK_MINUTES",
        "PROXY_COUNT",
        "IMPORT_BULK_ROWS",
    ):
        if os.environ.get("RDFUND_" + key, "").isdigit():
            env[key] = int(os.environ["RDFUND_" + key])
    if os.environ.get("RDFUND_REVIEW_REMINDER_DAYS"):
        env["REVIEW_REMINDER_DAYS"] = os.environ["RDFUND_REVIEW_REMINDER_DAYS"]
    if os.environ.get("RDFUND_REVIEW_OVERDUE_EVERY_DAYS", "").isdigit():
        env["REVIEW_OVERDUE_EVERY_DAYS"] = int(os.environ["RDFUND_REVIEW_OVERDUE_EVERY_DAYS"])
    for key in ("LOG_FORMAT", "LOG_LEVEL", "METRICS_TOKEN"):
        if os.environ.get("RDFUND_" + key):
            env[key] = os.environ["RDFUND_" + key]
    for key in ("METRICS_ALLOW_LOOPBACK", "ACCESS_LOG"):
        if os.environ.get("RDFUND_" + key, "") in ("0", "false", "no"):
            env[key] = False
    if "RDFUND_API_RATE_LIMIT" in os.environ:
        env["API_RATE_LIMIT"] = os.environ["RDFUND_API_RATE_LIMIT"]
    if os.environ.get("RDFUND_REDIS_URL"):
        env["API_RATE_LIMIT_STORAGE"] = os.environ["RDFUND_REDIS_URL"]
    if os.environ.get("RDFUND_DEV", "") in ("1", "true", "yes"):
        env["DEV_MODE"] = True
    return env


def finish(config: dict) -> None:
    """Fill development conveniences and refuse unsafe production settings."""
    if config["DEV_MODE"] or config["TESTING"]:
        config["SESSION_COOKIE_SECURE"] = False
        config["REMEMBER_COOKIE_SECURE"] = False
        if not config["SECRET_KEY"]:
            config["SECRET_KEY"] = "dev-only-not-secret"
    if config["LOG_FORMAT"] is None:
        config["LOG_FORMAT"] = "text" if config["DEV_MODE"] or config["TESTING"] else "json"
    if config["LOG_LEVEL"] is None:
        config["LOG_LEVEL"] = "WARNING" if config["TESTING"] else "INFO"
    if config["LOG_FORMAT"] not in ("json", "text"):
        raise ConfigError("RDFUND_LOG_FORMAT must be json or text.")
    if not config["API_RATE_LIMIT_STORAGE"] or config["TESTING"]:
        config["API_RATE_LIMIT_STORAGE"] = "memory://"  # tests: never a shared server
    if config["HSTS"] is None:
        config["HSTS"] = not (config["DEV_MODE"] or config["TESTING"])
    if not config["SECRET_KEY"]:
        raise ConfigError("RDFUND_SECRET_KEY must be set outside development mode (RDFUND_DEV=1).")
