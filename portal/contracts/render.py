"""The contract's document in Vietnamese, as PDF (through the one render_pdf) and as DOCX
(python-docx), both from the same record: the fund's template text filled in, then the
annexes. The views hand `contract_documents` to the domain, which stores and hashes them."""

from io import BytesIO

from docx import Document
from docx.shared import Pt
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from funds.contracts.queries import ContractRecord
from portal.i18n import format_day, format_money, format_percent
from portal.proposals.sections import budget_label
from portal.reports.pdf import render_pdf

LANGUAGE = "vi"  # a contract under Vietnamese law is written in Vietnamese


def blocks(body: str) -> list[tuple[str, str]]:
    """The template's text as (kind, text): '# ' a title, '## ' a heading, else a paragraph
    (consecutive lines stay apart; blank lines are dropped)."""
    found = []
    for line in body.splitlines():
        text = line.strip()
        if text.startswith("## "):
            found.append(("h2", text[3:]))
        elif text.startswith("# "):
            found.append(("h1", text[2:]))
        elif text:
            found.append(("p", text))
    return found


def _payment_when(p) -> str:
    if p.kind == "advance":
        return _("When the contract is in force")
    if p.kind == "tranche":
        return _("Month %(month)s, when its milestone is accepted", month=p.due_month)
    return _("After acceptance")


def _payment_kind(p) -> str:
    return {
        "advance": _("Advance"),
        "tranche": _("Tranche"),
        "final_payment": _("Final payment"),
    }[p.kind]


def payment_label(p) -> str:
    """A line of the payment schedule in words: its kind and when it is paid."""
    return f"{_payment_kind(p)} — {_payment_when(p)}"


def annexes(r: ContractRecord) -> list[dict]:
    """The annexes as titled tables (header, rows, footer), for both formats."""
    money = format_money
    work = {
        "title": _("Annex 1. Approved work plan"),
        "head": [_("Owner"), _("Task"), _("Due month"), _("Due date"), _("Deliverable")],
        "rows": [
            [w.owner, w.task, str(w.due_month), format_day(w.due_date), w.deliverable]
            for w in r.work
        ],
    }
    years = r.years
    budget = {
        "title": _("Annex 2. Approved budget by category and year (state money)"),
        "head": [_("Category"), *[str(y) for y in years], _("Total")],
        "rows": [
            [budget_label(c), *[money(r.amount(c, y)) for y in years], money(r.category_total(c))]
            for c in r.categories
        ],
        "foot": [_("Total"), *[money(r.year_total(y)) for y in years], money(r.total_vnd)],
    }
    counterpart = [[s, str(y or "—"), money(a)] for s, y, a in r.counterparts]
    differences = [
        [
            budget_label(d.line.category) + f" {d.line.fiscal_year}",
            money(d.line.submitted_vnd),
            money(d.proposed_vnd),
            money(d.approved_vnd),
            d.line.reason,
        ]
        for d in r.differences_budget
    ] + [
        [
            d.submitted.task,
            d.submitted.deliverable + f" ({_('month')} {d.submitted.due_month})",
            (
                f"{d.proposed.deliverable} ({_('month')} {d.proposed.due_month})"
                if d.proposed
                else _("Removed")
            ),
            (
                f"{d.approved.deliverable} ({_('month')} {d.approved.due_month})"
                if d.approved
                else _("Removed")
            ),
            d.line.reason,
        ]
        for d in r.differences_work
    ]
    products = {
        "title": _("Annex 3. Products and their quality indicators"),
        "head": [_("Product"), _("Quality indicator"), _("Target"), _("Unit")],
        "rows": [[p.product, p.indicator, p.target, p.unit] for p in r.products],
    }
    payments = {
        "title": _("Annex 4. Payment schedule"),
        "head": [_("Payment"), _("When"), _("Amount")],
        "rows": [[_payment_kind(p), _payment_when(p), money(p.amount_vnd)] for p in r.payments],
        "foot": [_("Total"), "", money(sum(p.amount_vnd for p in r.payments))],
        "note": _(
            "The advance is %(share)s of the contract's state money (the fund's setting).",
            share=format_percent(r.advance_share),
        ),
    }
    reports = {
        "title": _("Annex 5. Reporting schedule"),
        "head": [_("Report"), _("Due date")],
        "rows": [
            [_("Progress report %(n)s", n=n), format_day(d)] for n, d in enumerate(r.reports, 1)
        ]
        + [[_("Final report"), format_day(r.final_report_due)]],
    }
    regime = {
        "title": _("Annex 6. Closeout regime and its legal basis"),
        "head": [_("Regime"), _("Legal basis")],
        "rows": [[r.regime_code, r.regime_basis]],
    }
    found = [work, budget]
    if counterpart:
        found.append(
            {
                "title": _("Annex 2a. Counterpart funds"),
                "head": [_("Source"), _("Fiscal year"), _("Amount")],
                "rows": counterpart,
            }
        )
    if differences:
        found.append(
            {
                "title": _("Annex 2b. Changes from the submitted proposal (appraisal)"),
                "head": [_("Line"), _("Submitted"), _("Proposed"), _("Approved"), _("Reason")],
                "rows": differences,
            }
        )
    found += [products, payments, reports, regime]
    for a in r.amendments:
        found.append(
            {
                "title": _("Amendment annex %(n)s", n=a.number),
                "head": [_("Change")],
                "rows": [[a.text]],
            }
        )
    return found


def contract_pdf(r: ContractRecord) -> bytes:
    with force_locale(LANGUAGE):
        html = render_template(
            "contracts/contract_pdf.html", r=r, blocks=blocks(r.body), annexes=annexes(r)
        )
    return render_pdf(html)


def contract_docx(r: ContractRecord) -> bytes:
    with force_locale(LANGUAGE):
        doc = Document()
        doc.styles["Normal"].font.name = "Times New Roman"
        doc.styles["Normal"].font.size = Pt(12)
        for kind, text in blocks(r.body):
            if kind == "h1":
                doc.add_heading(text, level=0)
            elif kind == "h2":
                doc.add_heading(text, level=2)
            else:
                doc.add_paragraph(text)
        for annex in annexes(r):
            doc.add_page_break()
            doc.add_heading(annex["title"], level=1)
            _table(doc, annex)
            if annex.get("note"):
                doc.add_paragraph(annex["note"])
        out = BytesIO()
        doc.save(out)
    return out.getvalue()


def _table(doc, annex: dict) -> None:
    rows = [annex["head"], *annex["rows"], *([annex["foot"]] if annex.get("foot") else [])]
    table = doc.add_table(rows=len(rows), cols=len(annex["head"]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(value)


def amendments_pdf(r: ContractRecord) -> bytes:
    """The contract's amendments: each approved change request as its numbered annex."""
    with force_locale(LANGUAGE):
        html = render_template("contracts/amendments_pdf.html", r=r)
    return render_pdf(html)


def contract_documents(r: ContractRecord) -> tuple[bytes, bytes]:
    """The (PDF, DOCX) pair the domain stores for one version."""
    return contract_pdf(r), contract_docx(r)
