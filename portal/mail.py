"""Outgoing e-mail: an outbox of .eml files in development, SMTP in production.

Set RDFUND_SMTP_URL (or the SMTP_URL config key) to smtp://user:pass@host:port,
smtp+starttls://… or smtps://…; without it, messages are written to instance/outbox.
"""

import os
import secrets
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

from funds.clock import utcnow


def build(*, sender: str, to: str, subject: str, body: str, attachments=()) -> EmailMessage:
    """A UTF-8 message with optional (filename, bytes, mime type) attachments."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(body)
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def smtp_url(config) -> str | None:
    return config.get("SMTP_URL") or os.environ.get("RDFUND_SMTP_URL") or None


def send(config, msg: EmailMessage, *, outbox: Path) -> str:
    """Deliver by SMTP when configured, else into the outbox; returns where it went."""
    url = smtp_url(config)
    if url:
        _send_smtp(url, msg)
        return url.split("@")[-1]
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(4)}.eml"
    target.write_bytes(msg.as_bytes())
    return str(target)


def _send_smtp(url: str, msg: EmailMessage) -> None:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    client_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with client_class(parts.hostname, port, timeout=30) as client:
        if parts.scheme == "smtp+starttls":
            client.starttls()
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(msg)
