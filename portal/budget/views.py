"""Budget compliance pages for fund managers: dashboard, drill-down, slate, imports, rules."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from funds.calls.models import Fund
from funds.calls.queries import managed_fund_ids
from funds.compliance import figures, slate
from funds.compliance.models import ComplianceRule, ComplianceRuleVersion
from funds.compliance.permissions import can_edit_rules, can_import_budget, can_view_compliance
from funds.compliance.rules import BASES, round6
from funds.compliance.services import acknowledge_slate, update_rule
from funds.legal import settings as legal_settings
from funds.legal.models import LegalInstrument, LegalInstrumentVersion, LegalSetting
from funds.legal.permissions import can_edit_law, can_view_law
from funds.legal.services import EDITABLE as INSTRUMENT_FIELDS
from funds.legal.services import update_instrument, update_setting
from portal import db, edge
from portal.budget import pages
from portal.budget.forms import (
    AcknowledgeForm,
    ImportForm,
    InstrumentForm,
    RuleForm,
    SettingForm,
)
from portal.budget.labels import LAW_TEXTS, rule_label
from portal.forms import choices
from portal.jobs.runners import start_budget_import
from portal.mfa.reauth import reauth_required
from portal.projects.labels import article_text
from portal.reports.pdf import render_pdf
from portal.security import requires

bp = Blueprint("budget", __name__, url_prefix="/budget")
PAGE = 200


@bp.get("/")
@requires(can_view_compliance)
def dashboard():
    """Each rule per year against its floor, per fund and per area, with charts."""
    ctx = pages.context(db.read_session(), request.args.get("year", type=int), str(get_locale()))
    return render_template("budget/dashboard.html", round6=round6, **ctx)


@bp.get("/lines")
@requires(can_view_compliance)
def lines():
    """The ledger lines behind a number on the dashboard."""
    args = request.args
    year = args.get("year", type=int) or abort(404)
    strategic = {"1": True, "0": False}.get(args.get("strategic", ""))
    basis = args.get("basis") if args.get("basis") in BASES else None
    source = args.get("source") if args.get("source") in ("state", "nonstate") else None
    page = max(args.get("page", 1, type=int), 1)
    rows, count, total = figures.lines_behind(
        db.read_session(),
        fiscal_year=year,
        basis=basis,
        source=source,
        fund_id=args.get("fund", type=int),
        area=args.get("area") or None,
        strategic=strategic,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    funds = {f.id: f for f in db.session().exec(select(Fund)).all()}
    return render_template(
        "budget/lines.html",
        rows=rows,
        count=count,
        total=total,
        year=year,
        basis=basis,
        source=source,
        funds=funds,
        page=page,
        pages=max((count + PAGE - 1) // PAGE, 1),
        args=args,
    )


@bp.route("/import", methods=["GET", "POST"])
@requires(can_import_budget)
def import_data():
    """Upload CSV/XLSX files and start the import job; every error is listed on the job's
    page and nothing changes unless all pass."""
    form = ImportForm()
    if form.validate_on_submit():
        uploads = [(f.filename or "upload", f.read()) for f in form.files.data]
        done = edge.run(
            lambda: start_budget_import(db.session(), actor=current_user, uploads=uploads),
            form=form,
        )
        if done:  # checked and written by a job: its page shows progress, errors, result
            return redirect(url_for("jobs.show", job_id=done.value.id))
    return render_template("budget/import.html", form=form)


@bp.get("/rules")
@requires(can_view_compliance)
def rules():
    """The rules with their thresholds, periods, sources and history."""
    s = db.session()
    rows = s.exec(select(ComplianceRule).order_by(ComplianceRule.kind, ComplianceRule.id)).all()
    history = s.exec(
        select(ComplianceRuleVersion).order_by(
            ComplianceRuleVersion.rule_id, ComplianceRuleVersion.version.desc()
        )
    ).all()
    return render_template(
        "budget/rules.html",
        rules=rows,
        history=history,
        instrument_numbers={i.code: i.number for i in s.exec(select(LegalInstrument)).all()},
        article_text=article_text,
        can_edit=can_edit_rules(current_user),
        rule_label=rule_label,
        **LAW_TEXTS,
    )


@bp.route("/rules/<rule_id>", methods=["GET", "POST"])
@requires(can_edit_rules)
@reauth_required
def edit_rule(rule_id: str):
    """An admin changes a rule's threshold, period or source; history is kept."""
    rule = db.session().get(ComplianceRule, rule_id) or abort(404)
    form = RuleForm(obj=rule)
    form.instrument_code.choices = _instrument_choices(with_none=False)
    if form.validate_on_submit() and edge.run(
        lambda: update_rule(
            db.session(),
            actor=current_user,
            rule_id=rule.id,
            threshold=form.threshold.data,
            strict=form.strict.data,
            effective_from=form.effective_from.data,
            effective_to=form.effective_to.data,
            source=form.source.data,
            note=form.note.data or "",
            instrument_code=form.instrument_code.data,
            article=form.article.data or "",
        ),
        form=form,
        success=_("Rule saved."),
    ):
        return redirect(url_for("budget.rules"))
    return render_template("budget/rule_form.html", form=form, rule=rule, rule_label=rule_label)


def _instrument_choices(*, with_none: bool, leave_out: str = ""):
    rows = db.session().exec(select(LegalInstrument).order_by(LegalInstrument.effective_from)).all()
    pairs = [
        (i.code, f"{i.number} — {i.title_for(str(get_locale()))}")
        for i in rows
        if i.code != leave_out
    ]
    return choices(([("", _("None"))] if with_none else []) + pairs)


@bp.get("/law")
@requires(can_view_law)
def law():
    """The legal instruments every rule rests on, the legal settings, and their history."""
    s = db.session()
    instruments = s.exec(select(LegalInstrument).order_by(LegalInstrument.effective_from)).all()
    stored = {row.key: row for row in s.exec(select(LegalSetting)).all()}
    history = s.exec(
        select(LegalInstrumentVersion).order_by(
            LegalInstrumentVersion.instrument_code, LegalInstrumentVersion.version.desc()
        )
    ).all()
    settings = [
        dict(spec=spec, stored=stored.get(key), value=legal_settings.value(s, key))
        for key, spec in legal_settings.SETTINGS.items()
    ]
    return render_template(
        "budget/law.html",
        instruments=instruments,
        settings=settings,
        history=history,
        can_edit=can_edit_law(current_user),
        **LAW_TEXTS,
    )


@bp.route("/law/instruments/<code>", methods=["GET", "POST"])
@requires(can_edit_law)
@reauth_required
def edit_instrument(code: str):
    """An admin corrects an instrument's facts or dates, with a reason; history is kept."""
    instrument = db.session().get(LegalInstrument, code) or abort(404)
    form = InstrumentForm(obj=instrument)
    form.supersedes.choices = _instrument_choices(with_none=True, leave_out=code)
    if form.validate_on_submit() and edge.run(
        lambda: update_instrument(
            db.session(),
            actor=current_user,
            code=code,
            fields={k: getattr(form, k).data for k in INSTRUMENT_FIELDS},
            note=form.reason.data,
        ),
        form=form,
        success=_("Legal instrument saved."),
    ):
        return redirect(url_for("budget.law"))
    return render_template("budget/instrument_form.html", form=form, instrument=instrument)


@bp.route("/law/settings/<key>", methods=["GET", "POST"])
@requires(can_edit_law)
@reauth_required
def edit_setting(key: str):
    """An admin sets a legal setting, with the reason (audited)."""
    spec = legal_settings.SETTINGS.get(key) or abort(404)
    row = db.session().get(LegalSetting, key)
    form = SettingForm(data={"value": row.value if row else spec.default})
    if form.validate_on_submit() and edge.run(
        lambda: update_setting(
            db.session(),
            actor=current_user,
            key=key,
            value=form.value.data,
            reason=form.reason.data,
        ),
        form=form,
        success=_("Setting saved."),
    ):
        return redirect(url_for("budget.law"))
    return render_template("budget/setting_form.html", form=form, spec=spec, **LAW_TEXTS)


def _slate_ids() -> list[int]:
    return sorted({v for v in request.values.getlist("proposal", type=int) if v > 0})


@bp.route("/slate", methods=["GET", "POST"])
@requires(can_view_compliance)
def slate_check():
    """Before funding a slate: each affected year's strategic share and headroom."""
    s = db.session()
    ids, fund_ids = _slate_ids(), managed_fund_ids(s, current_user)  # only their funds'
    chosen, impacts = slate.impact_of(s, ids, fund_ids=fund_ids)
    below = slate.needs_acknowledgement(impacts)
    form = AcknowledgeForm()
    if (
        request.method == "POST"
        and below
        and form.validate_on_submit()
        and edge.run(
            lambda: acknowledge_slate(
                s,
                actor=current_user,
                proposal_ids=[p.id for p, _c in chosen],
                years_below=below,
                note=form.note.data,
                summary={
                    str(i.fiscal_year): {
                        "share_after": round6(i.share_after),
                        "still_missing_vnd": i.shortfall_after_vnd,
                        "uncommitted_after_vnd": i.uncommitted_after_vnd,
                    }
                    for i in impacts
                },
            ),
            form=form,
            success=_("Your acknowledgement is recorded in the audit log."),
        )
    ):
        return redirect(url_for("budget.slate_check", proposal=ids))
    return render_template(
        "budget/slate.html",
        candidates=slate.candidate_proposals(s, fund_ids=fund_ids),
        chosen=chosen,
        ids=ids,
        impacts=impacts,
        below=below,
        form=form,
        round6=round6,
    )


@bp.get("/report.pdf")
@requires(can_view_compliance)
def report_pdf():
    """The compliance report as PDF: charts, tables, rules and sources, a figures hash."""
    pdf = render_pdf(pages.pdf_html(db.read_session(), str(get_locale())))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=compliance-report.pdf"},
    )


@bp.get("/report.xlsx")
@requires(can_view_compliance)
def report_xlsx():
    """The compliance tables as an Excel workbook, one sheet per table."""
    return Response(
        pages.excel_bytes(db.read_session()),
        headers={"Content-Disposition": "attachment; filename=compliance-report.xlsx"},
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
