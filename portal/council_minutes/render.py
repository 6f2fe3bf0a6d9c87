"""The minutes and the decision documents as PDF: a template rendered in the document's
language, through the one render_pdf (portal/reports/pdf.py). The views hand these to the
domain services, which store and hash the bytes."""

from flask import render_template
from flask_babel import force_locale

from portal.council_minutes.labels import label
from portal.council_work.labels import sheet_criterion
from portal.reports.pdf import render_pdf
from reviews.councils.decisions.queries import DecisionRecord
from reviews.councils.minutes.queries import MinutesRecord


def minutes_pdf(record: MinutesRecord, language: str) -> bytes:
    """The minutes (biên bản) of a meeting in Vietnamese or English."""
    with force_locale(language):
        html = render_template(
            "council_minutes/minutes_pdf.html",
            r=record,
            label=label,
            criterion=sheet_criterion,
            language=language,
        )
    return render_pdf(html)


def decision_pdf(record: DecisionRecord, language: str) -> bytes:
    """The fund's selection decision citing the council and its signed minutes."""
    with force_locale(language):
        html = render_template(
            "council_minutes/decision_pdf.html", d=record, label=label, language=language
        )
    return render_pdf(html)
