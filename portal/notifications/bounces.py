"""Late bounces: a recipient's server may accept an e-mail and return it later as a delivery
status notification (RFC 3464) to the fund's bounce mailbox. Each notification's e-mail
carries a Message-ID naming it, signed with the portal's secret key; `flask record-bounces`
reads the returned messages (files, or a Maildir whose new messages it then files under
cur/), finds the Message-ID of the e-mail each one returns and marks that notification
bounced with the server's diagnostic. A forged or foreign report changes nothing."""

import email
import email.policy
import hashlib
import hmac
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from funds.notifications.services import record_bounce
from portal import edge

ID_PATTERN = re.compile(r"<rdfund-n(\d+)-([0-9a-f]{16})@[^>\s]+>")


def _signature(notification_id: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"notification:{notification_id}".encode(), hashlib.sha256).hexdigest()[
        :16
    ]


def message_id(notification_id: int, sender: str) -> str:
    """The Message-ID of a notification's e-mail: its id, signed, at the sender's domain."""
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<rdfund-n{notification_id}-{_signature(notification_id)}@{domain}>"


@dataclass(frozen=True)
class Bounce:
    notification_id: int
    diagnostic: str


def _parts(msg: Message) -> Iterator[Message]:
    yield msg
    if msg.is_multipart():
        for part in msg.get_payload():  # type: ignore[union-attr]
            if isinstance(part, Message):
                yield from _parts(part)


def _diagnostic(msg: Message) -> tuple[bool, str]:
    """Whether the report says the delivery failed, and its status and diagnostic."""
    for part in _parts(msg):
        if part.get_content_type() != "message/delivery-status":
            continue
        text = "\n".join(
            str(block) if not isinstance(block, Message) else block.as_string()
            for block in (part.get_payload() if part.is_multipart() else [part.get_payload()])
        )
        action = re.search(r"^Action:\s*(\S+)", text, re.M | re.I)
        status = re.search(r"^Status:\s*(\S+)", text, re.M | re.I)
        code = re.search(r"^Diagnostic-Code:\s*(.+(?:\n[ \t].+)*)", text, re.M | re.I)
        recipient = re.search(r"^Final-Recipient:\s*(?:rfc822;)?\s*(\S+)", text, re.M | re.I)
        failed = bool(action and action.group(1).lower() == "failed")
        words = [
            recipient.group(1) if recipient else "",
            status.group(1) if status else "",
            " ".join(code.group(1).split()) if code else "",
        ]
        return failed, " ".join(w for w in words if w)
    return False, ""


def read_bounce(raw: bytes) -> Bounce | None:
    """The notification a delivery status notification reports as failed, or None (not a
    failure report, not one of ours, or a signature that does not match)."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    failed, diagnostic = _diagnostic(msg)
    if not failed:
        return None
    for found in ID_PATTERN.finditer(msg.as_string()):
        notification_id, signature = int(found.group(1)), found.group(2)
        if hmac.compare_digest(signature, _signature(notification_id)):
            return Bounce(notification_id, f"bounce: {diagnostic}" if diagnostic else "bounce")
    return None


def _messages(path: Path) -> Iterator[tuple[Path, Path | None]]:
    """Each message file under `path`, with where to file it once read (Maildir new → cur)."""
    if (path / "new").is_dir() and (path / "cur").is_dir():
        for item in sorted((path / "new").iterdir()):
            yield item, path / "cur" / f"{item.name}:2,S"
    elif path.is_dir():
        for item in sorted(path.iterdir()):
            if item.is_file():
                yield item, None
    else:
        yield path, None


@click.command("record-bounces")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def record_bounces_command(paths: tuple[Path, ...]):
    """Read returned e-mails (files or a Maildir) and mark the notifications they report as
    bounced, for the administrators' list of failed e-mails."""
    marked = read = 0
    for path in paths:
        for item, filed in _messages(path):
            read += 1
            bounce = read_bounce(item.read_bytes())
            if bounce is not None:
                with edge.transaction() as s:
                    if record_bounce(
                        s, notification_id=bounce.notification_id, error=bounce.diagnostic
                    ):
                        marked += 1
            if filed is not None:
                item.rename(filed)
    click.echo(f"{read} messages read, {marked} bounced e-mails recorded.")
