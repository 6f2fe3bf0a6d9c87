"""Sending invitation e-mails after the commit, through the task queue."""

from flask import current_app, render_template, url_for

from portal import edge, mail
from portal.tasks import _state, huey


@huey.task(retries=3, retry_delay=10)
def send_invitation(email: str, name: str, link: str) -> str:
    """Mail the invitation link (outbox in development, SMTP in production)."""
    app = _state["app"]
    with app.app_context(), app.test_request_context("/"):
        from portal.proposals.receipts import outbox_dir

        body = render_template("review_admin/invitation_email.txt", name=name, link=link)
        msg = mail.build(
            sender=app.config.get("MAIL_FROM", "rdfund@localhost"),
            to=email,
            subject="rdfund: invitation to review / lời mời phản biện",
            body=body,
        )
        return mail.send(app.config, msg, outbox=outbox_dir(app))


def queue_invitation(sent) -> None:
    """Inside the edge's transaction: the e-mail leaves once it has committed. The link
    carries the secret after `#` (never in a server log)."""
    link = url_for("auth.link", _external=True) + "#" + sent.secret
    edge.after_commit(
        _enqueue, sent.invitation.id, sent.invitation.email, sent.invitation.name, link
    )


def _enqueue(invitation_id: int, email: str, name: str, link: str) -> None:
    current_app.logger.info("invitation %s queued", invitation_id)
    send_invitation(email, name, link)
