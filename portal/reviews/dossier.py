"""The whole proposal on assessors' pages: the partial's arguments, the inline preview of a
submitted PDF, and the assembled PDF (the submitted version, then its PDF files)."""

import logging
from io import BytesIO

from flask import current_app, make_response, render_template, send_file
from pypdf import PdfWriter
from pypdf.errors import PyPdfError

from portal.reports.pdf import render_pdf
from portal.submission.forms import KIND_LABELS
from reviews.dossier.services import Dossier

log = logging.getLogger(__name__)

# A preview is framed by the review page of the same portal, nothing else; the PDF viewer
# is a plugin, so object-src allows the file itself. Every other response keeps the strict
# policy of portal/headers.py.
PREVIEW_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"


def dossier_page_args(dossier: Dossier, *, file_url=None, preview_url=None, pdf_url=None):
    """What templates/reviews/_dossier.html needs."""
    return {
        "d": dossier,
        "kind_labels": KIND_LABELS,
        "file_url": file_url,
        "preview_url": preview_url,
        "pdf_url": pdf_url,
    }


def _file_path(attachment):
    from portal.tasks import data_dir

    return data_dir(current_app) / "files" / attachment.stored_name


def send_preview(attachment):
    """The file inline, framable by the portal's own pages only."""
    response = send_file(
        _file_path(attachment),
        mimetype=attachment.content_type,
        as_attachment=False,
        download_name=attachment.original_name,
    )
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def assembled_pdf(dossier: Dossier, *, response=None) -> bytes:
    """The submitted version rendered from its snapshot (blind as the dossier is), followed
    by every submitted PDF file still kept, in the order they were submitted; for a council,
    `response` adds the reviews and the applicant's response (reviews.rebuttal)."""
    from funds.proposals.models import Attachment
    from portal import db

    html = render_template(
        "reviews/dossier_pdf.html", response=response, **dossier_page_args(dossier)
    )
    writer = PdfWriter()
    writer.append(BytesIO(render_pdf(html)))
    for f in dossier.files:
        if not f.is_pdf or f.attachment_id is None:
            continue
        attachment = db.session().get(Attachment, f.attachment_id)
        try:
            writer.append(str(_file_path(attachment)))
        except (OSError, PyPdfError, ValueError) as exc:  # listed on the first pages anyway
            log.warning("file %s left out of the assembled PDF: %s", f.attachment_id, exc)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_response(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
