"""After submission: the proposal's PDF (WeasyPrint) and the receipt e-mail."""

import json
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from funds.accounts.models import User
from funds.hosts.queries import endorsement_for_submission
from funds.proposals.models import Submission
from funds.submission.services import record_receipt_mailed, record_receipt_pdf
from portal import edge, mail
from portal.outbox.relay import handler
from portal.reports.pdf import render_pdf


def receipts_dir(app: Flask) -> Path:
    from portal.tasks import data_dir

    return data_dir(app) / "receipts"


def outbox_dir(app: Flask) -> Path:
    """instance/outbox (or OUTBOX_DIR; under INSTANCE_DATA when that is set, as in tests)."""
    if app.config.get("OUTBOX_DIR"):
        return Path(app.config["OUTBOX_DIR"])
    if app.config.get("INSTANCE_DATA"):
        return Path(app.config["INSTANCE_DATA"]) / "outbox"
    return Path(app.instance_path) / "outbox"


def pdf_html(submission: Submission) -> str:
    """The whole submitted version as HTML, from its immutable snapshot."""
    snap = json.loads(submission.snapshot)
    return render_template("proposals/pdf.html", s=snap, submission=submission)


def stored_pdf(app: Flask, submission: Submission) -> bytes | None:
    """The PDF the queue stored, or None while it is still being made."""
    if submission.pdf_name:
        path = receipts_dir(app) / submission.pdf_name
        if path.is_file():
            return path.read_bytes()
    return None


def pdf_bytes(app: Flask, submission: Submission) -> bytes:
    """The stored PDF, or a fresh rendering if the queue has not made it yet."""
    stored = stored_pdf(app, submission)
    return stored if stored is not None else render_pdf(pdf_html(submission))


@handler("after_submission")
def after_submission(submission_id: int) -> None:
    """Render the submission's PDF, then mail the receipt with it (each step once)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    render_submission_pdf(app, submission_id)
    send_receipt(app, submission_id)


def render_submission_pdf(app: Flask, submission_id: int) -> None:
    """Render and store the PDF once; a retried task finds it done. In the task's own app
    context, so its own transaction."""
    with edge.transaction() as s:
        submission = s.get(Submission, submission_id)
        if submission is None or submission.pdf_name:
            return
        pi = s.get(User, submission.submitted_by)
        with force_locale(pi.locale or "vi"):
            data = render_pdf(pdf_html(submission))
        directory = receipts_dir(app)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{submission.receipt_no}.pdf"
        tmp = directory / f".{name}.part"
        tmp.write_bytes(data)
        tmp.replace(directory / name)
        record_receipt_pdf(s, submission_id=submission_id, pdf_name=name)


def send_receipt(app: Flask, submission_id: int) -> None:
    """E-mail the receipt and the PDF to the PI once. Sent before the mark is committed, on
    purpose: a retry after a failed commit mails it again rather than never."""
    with edge.transaction() as s:
        submission = s.get(Submission, submission_id)
        if submission is None or submission.receipt_mailed_at:
            return
        pi = s.get(User, submission.submitted_by)
        with force_locale(pi.locale or "vi"):
            msg = mail.build(
                sender=app.config.get("MAIL_FROM", "rdfund@localhost"),
                to=pi.email,
                subject=_("Proposal received: %(receipt)s", receipt=submission.receipt_no),
                body=render_template(
                    "proposals/receipt_email.txt",
                    submission=submission,
                    snapshot=json.loads(submission.snapshot),
                    pi=pi,
                    endorsement=endorsement_for_submission(s, submission_id),
                ),
                attachments=[
                    (f"{submission.receipt_no}.pdf", pdf_bytes(app, submission), "application/pdf")
                ],
            )
        mail.send(app.config, msg, outbox=outbox_dir(app))
        record_receipt_mailed(s, submission_id=submission_id)
