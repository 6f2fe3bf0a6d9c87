"""Sending a notification's e-mail: queued after the commit (portal.edge), built in the
recipient's language, its outcome recorded; an SMTP error is recorded for the
administrators and raised again so that the queue retries."""

import logging
import re
import smtplib

import click
from flask import current_app, g, has_app_context, render_template, url_for
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import col, select

from funds.notifications import rules
from funds.notifications.models import EmailState, Notification
from funds.notifications.queries import params_of
from funds.notifications.services import record_email_failure, record_email_sent
from portal import db, edge, mail
from portal.notifications import bounces
from portal.outbox.relay import handler, later

log = logging.getLogger(__name__)


def after_commit_send(notification_id: int) -> None:
    """Called by funds.notifications.notify: queue the e-mail once the work has committed.
    Outside the request edge (a script on its own session) it stays pending for
    `flask send-notifications`."""
    if has_app_context() and g.get("edge_outbox") is not None:
        later("notification", notification_id)


@handler("notification")
def deliver(notification_id: int) -> str:
    """Send one notification's e-mail unless already sent or not wanted."""
    with edge.transaction() as s:  # a read, ended before the (slow) send
        n = s.get(Notification, notification_id)
        if n is None or n.email_state not in (EmailState.PENDING, EmailState.FAILED):
            return "nothing to send"
        msg = build_message(n)
    try:
        mail.send(current_app.config, msg, outbox=_outbox())
    except (smtplib.SMTPException, OSError) as exc:
        with edge.transaction() as s:
            record_email_failure(s, notification_id=notification_id, error=describe(exc))
        log.warning("notification %s: e-mail failed", notification_id)
        raise
    with edge.transaction() as s:
        record_email_sent(s, notification_id=notification_id)
    return "sent"


def describe(exc: Exception) -> str:
    """The error as an administrator reads it: the server's code and answer when it gave one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{addr}: {code} {_text(answer)}" for addr, (code, answer) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(answer) -> str:
    return answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)


def build_message(n: Notification):
    """Subject and body in the recipient's language, with the link to the object."""
    spec = rules.KINDS[n.kind]
    with force_locale(n.locale or "vi"):
        params = shown_params(n)
        body = render_template(
            "notifications/email.txt",
            text=_(spec.body, **params),
            link=link_for(n, external=True),
        )
        subject = "rdfund: " + _(spec.subject, **params)
    sender = current_app.config.get("MAIL_FROM", "rdfund@localhost")
    msg = mail.build(sender=sender, to=n.email, subject=subject, body=body)
    msg["Message-ID"] = bounces.message_id(n.id, sender)  # a late bounce names it
    return msg


def shown_params(n: Notification) -> dict:
    """Parameters as shown: *_on dates as dd/mm/yyyy, *_at instants in Vietnam time, a
    person by *_user_id, a translatable message by *_msg (in the reader's language)."""
    from datetime import date, datetime

    from portal.i18n import format_instant

    shown = {}
    for key, value in params_of(n).items():
        if key.endswith("_on") and isinstance(value, str) and value[:1].isdigit():
            value = date.fromisoformat(value).strftime("%d/%m/%Y")  # else a placeholder: "—"
        elif key.endswith("_at") and isinstance(value, str):
            value = format_instant(datetime.fromisoformat(value))
        elif key.endswith("_user_id"):  # a person named by account: their name as it is now
            key, value = key.removesuffix("_user_id"), _person_name(value)
        elif key.endswith("_msg") and isinstance(value, str):  # a message id: translated
            key, value = key.removesuffix("_msg"), _(value)
        shown[key] = value
    # a notification written before its message gained a parameter reads with a dash there
    spec = rules.KINDS[n.kind]
    for name in re.findall(r"%\((\w+)\)s", spec.subject + spec.body):
        shown.setdefault(name, "—")
    return shown


def _person_name(user_id) -> str:
    from funds.accounts.models import User

    user = db.session().get(User, user_id)
    return user.name if user else "—"


def link_for(n: Notification, *, external: bool = False) -> str | None:
    """Where the notification leads: the object it is about, as this person opens it."""
    builders = {
        "proposal": lambda: url_for(
            "proposals.detail", proposal_id=n.object_id, _external=external
        ),
        "review_assignment": lambda: url_for(
            "reviews.review", assignment_id=n.object_id, _external=external
        ),
        "award": lambda: url_for("projects.detail", award_id=n.object_id, _external=external),
        "council": lambda: url_for("council_work.mine", _external=external),
        "rebuttal": lambda: url_for(
            "rebuttal.respond", proposal_id=n.object_id, _external=external
        ),
        "co_investigator": lambda: _confirm_link(n.object_id, external),
    }
    build = builders.get(n.object_type)
    return build() if build else None


def _confirm_link(member_id: int, external: bool) -> str | None:
    from funds.profiles.models import CoInvestigator

    member = db.session().get(CoInvestigator, member_id)
    if member is None or member.confirm_token is None:
        return None
    return url_for("submission.confirm", token=member.confirm_token, _external=external)


def _outbox():
    from portal.proposals.receipts import outbox_dir

    return outbox_dir(current_app)


@click.command("send-notifications")
@with_appcontext
def send_pending_command():
    """Queue every notification e-mail still pending or failed (after an outage)."""
    with edge.transaction() as s:
        ids = s.exec(
            select(Notification.id).where(
                col(Notification.email_state).in_([EmailState.PENDING, EmailState.FAILED])
            )
        ).all()
        for notification_id in ids:
            later("notification", notification_id)
    click.echo(f"{len(ids)} notification e-mails queued.")
