"""Reading what the portal mailed (the outbox of .eml files tests use)."""

import email
import email.policy
import re
from pathlib import Path


def messages(app, to: str | None = None) -> list:
    outbox = Path(app.config["INSTANCE_DATA"]) / "outbox"
    found = []
    paths = (
        sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if outbox.exists() else []
    )
    for path in paths:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if to is None or msg["To"] == to:
            found.append(msg)
    return found


def last_secret(app, to: str) -> str:
    """The secret of the newest link mailed to `to` (after the link's '#')."""
    for msg in reversed(messages(app, to)):
        match = re.search(r"https?://[^/\s]+/auth/link#([\w-]+)", msg.get_body().get_content())
        if match:
            return match.group(1)
    raise AssertionError(f"no link mailed to {to}")
