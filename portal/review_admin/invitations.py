"""Sending invitation e-mails after the commit, through the task queue."""

from flask import current_app, render_template, url_for

from portal import mail
from portal.outbox.relay import handler, later


@handler("invitation")
def send_invitation(email: str, name: str, link: str) -> str:
    """Mail the invitation link (outbox in development, SMTP in production)."""
    from portal.proposals.receipts import outbox_dir

    body = render_template("review_admin/invitation_email.txt", name=name, link=link)
    msg = mail.build(
        sender=current_app.config.get("MAIL_FROM", "rdfund@localhost"),
        to=email,
        subject="rdfund: invitation to review / lời mời phản biện",
        body=body,
    )
    return mail.send(current_app.config, msg, outbox=outbox_dir(current_app))


def queue_invitation(sent) -> None:
    """Inside the edge's transaction: the e-mail leaves once it has committed. The link
    carries the secret after `#` (never in a server log)."""
    link = url_for("auth.link", _external=True) + "#" + sent.secret
    current_app.logger.info("invitation %s queued", sent.invitation.id)
    later("invitation", sent.invitation.email, sent.invitation.name, link)
