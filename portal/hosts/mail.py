"""The e-mail to a host's officers when a submitted proposal awaits their endorsement, sent
through the task queue once the submission has committed, in each officer's language."""

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from funds.accounts.models import User
from funds.hosts import queries as q
from funds.hosts.models import Host
from funds.proposals.models import Proposal, Submission
from portal import db, mail
from portal.outbox.relay import handler, later


@handler("endorsement_request")
def send_endorsement_request(to: str, locale: str, context: dict) -> str:
    app = current_app
    with force_locale(locale or "vi"):
        from portal.proposals.receipts import outbox_dir

        msg = mail.build(
            sender=app.config.get("MAIL_FROM", "rdfund@localhost"),
            to=to,
            subject="rdfund: " + _("A proposal awaits your endorsement"),
            body=render_template("hosts/email/endorsement_request.txt", **context),
        )
        return mail.send(app.config, msg, outbox=outbox_dir(app))


def queue_endorsement_request(submission_id: int) -> None:
    """Inside the submission's transaction: once it commits, each officer of the host of a
    version awaiting endorsement gets one e-mail (none when the call requires none)."""
    s = db.session()
    endorsement = q.endorsement_for_submission(s, submission_id)
    if endorsement is None:
        return
    proposal = s.get_one(Proposal, endorsement.proposal_id)
    context = {
        "host": {"name_vi": s.get_one(Host, endorsement.host_id).name_vi},
        "proposal": {"title": proposal.title},
        "pi": {"name": s.get_one(User, proposal.pi_id).name},
        "submission": {"receipt_no": s.get_one(Submission, submission_id).receipt_no},
        "endorsement": {"due_at": endorsement.due_at},
        "link": url_for("hosts.endorsement", endorsement_id=endorsement.id, _external=True),
    }
    for officer in q.officers_of(s, endorsement.host_id):
        if officer.is_active:
            later("endorsement_request", officer.email, officer.locale or "vi", context)
