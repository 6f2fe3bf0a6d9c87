"""Account e-mails (confirmation, reset, unlock, notices), sent once the request has
committed (portal.edge), through the task queue, in the recipient's language. Links carry
their secret after `#`, so it never reaches a server log or a Referer header."""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from funds.errors import N_
from portal import mail
from portal.outbox.relay import handler, later

SUBJECTS = {
    "confirm": N_("Confirm your e-mail address"),
    "already_registered": N_("Someone tried to register with your address"),
    "reset": N_("Reset your password"),
    "set_password": N_("Your account: choose a password"),
    "unlock": N_("Your account was locked after failed sign-ins"),
    "change_email": N_("Confirm your new e-mail address"),
    "email_changed": N_("Your e-mail address was changed"),
    "password_changed": N_("Your password was changed"),
}


def link(secret: str) -> str:
    """The e-mailed link: the secret in the fragment, read by the page, posted by the user."""
    return url_for("auth.link", _external=True) + "#" + secret


@handler("account_mail")
def send_account_mail(kind: str, to: str, locale: str, context: dict) -> str:
    app = current_app
    with force_locale(locale or "vi"):
        from portal.proposals.receipts import outbox_dir

        body = render_template(f"auth/email/{kind}.txt", **context)
        msg = mail.build(
            sender=app.config.get("MAIL_FROM", "rdfund@localhost"),
            to=to,
            subject="rdfund: " + _(SUBJECTS[kind]),
            body=body,
        )
        return mail.send(app.config, msg, outbox=outbox_dir(app))


def queue(kind: str, to: str, locale: str | None, **context) -> None:
    """Queue one account e-mail, inside the edge's transaction: it leaves once that has
    committed, and never if it rolls back."""
    later("account_mail", kind, to, locale or "vi", context)
