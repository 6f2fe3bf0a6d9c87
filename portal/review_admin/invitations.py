"""Sending invitation e-mails after the commit, through the task queue."""

from flask import current_app, render_template, url_for

from portal import mail
from portal.tasks import _state, huey


@huey.task(retries=3, retry_delay=10)
def send_invitation(email: str, name: str, link: str) -> str:
    """Mail the invitation link (outbox in development, SMTP in production)."""
    app = _state["app"]
    with app.app_context(), app.test_request_context("/"):
        from portal.proposals.receipts import outbox_dir

        body = render_template("review_admin/invitation_email.txt", name=name, link=link)
        msg = mail.build(sender=app.config.get("MAIL_FROM", "rdfund@localhost"), to=email,
                         subject="rdfund: invitation to review / lời mời phản biện", body=body)
        return mail.send(app.config, msg, outbox=outbox_dir(app))


def queue_invitation(invitation) -> None:
    link = url_for("reviews.invitation", token=invitation.token, _external=True)
    current_app.logger.info("invitation queued for %s", invitation.email)
    send_invitation(invitation.email, invitation.name, link)
