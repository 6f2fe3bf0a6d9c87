"""The append-only, hash-chained audit log: `audit.record(...)` in every service."""

from funds.audit.services import record, verify_log

__all__ = ["record", "verify_log"]
