"""Funded projects: awards, reports, changes, outputs, closeout, certificate, indicators."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.calls import queries as funds_queries
from funds.calls.models import Call
from funds.clock import to_local, utcnow
from funds.errors import NotFound
from funds.exports import safe_frame
from funds.hosts import queries as host_queries
from funds.hosts.rules import PICKABLE
from funds.legal import settings as legal_settings
from funds.legal.models import LegalInstrument
from funds.projects import closeout as co
from funds.projects import queries, rules
from funds.projects import services as svc
from funds.projects.acceptance.permissions import can_self_evaluate
from funds.projects.acceptance.services import self_evaluation_of
from funds.projects.bulk import import_outputs, read_table
from funds.projects.changes import queries as change_queries
from funds.projects.changes import services as changes
from funds.projects.changes.rules import KIND_LABELS, STOPPING
from funds.projects.models import EXPLOITATION_KINDS
from funds.projects.money import queries as money_queries
from funds.projects.money import rules as money_rules
from funds.projects.permissions import (
    can_evaluate,
    can_import_outputs,
    can_manage_project,
    can_manage_projects,
    can_override_regime,
    can_report,
    can_view_indicators,
    project_actions,
)
from funds.projects.regimes import services as regime_svc
from funds.projects.regimes.rules import Rating
from funds.proposals.services import get_proposal_for_manager
from portal import db, edge
from portal.forms import choices
from portal.i18n import format_money, format_percent, status_label
from portal.mfa.reauth import reauth_required
from portal.money.views import money_context
from portal.projects.forms import (
    AwardForm,
    ChangeDecisionForm,
    ChangeForm,
    ConfirmForm,
    EvaluationForm,
    FinalReportForm,
    MilestoneForm,
    OutputForm,
    OutputImportForm,
    PatentLinkForm,
    RegimeForm,
    ReportForm,
    evaluation_form,
)
from portal.projects.labels import basis_text, indicator_name, regime_bases
from portal.reports.charts import indicator_chart
from portal.reports.excel import workbook
from portal.reports.pdf import render_pdf
from portal.security import requires
from reviews.councils.decisions import queries as council_decisions
from reviews.councils.decisions.permissions import stoppable
from reviews.councils.decisions.services import close_from_council, preview_from_council

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _load(award_id: int):
    try:
        return svc.get_project_for(db.session(), award_id=award_id, actor=current_user)
    except NotFound:
        abort(404)


def _valid(form) -> bool:
    """A form posted from the project page; its shape errors are flashed there."""
    if form.validate_on_submit():
        return True
    for name, errors in form.errors.items():
        flash(f"{getattr(form, name).label.text}: {errors[0]}", "error")
    return False


def _back(award_id: int):
    return redirect(url_for("projects.detail", award_id=award_id))


@bp.get("/")
@login_required
def index():
    """Managers: their funds' proposals awaiting an award and projects; others: their own."""
    s, manager = db.session(), is_manager(current_user)
    fund_ids = funds_queries.managed_fund_ids(s, current_user)
    q = request.args.get("q", "")[:200]
    rows = queries.projects_for(s, current_user.id, fund_ids=fund_ids)
    return render_template(
        "projects/index.html",
        manager=manager,
        awaiting=queries.awaiting_award(s, fund_ids=fund_ids),
        rows=queries.search_projects(s, rows, q),
        q=q,
    )


@bp.route("/award/<int:proposal_id>", methods=["GET", "POST"])
@requires(can_manage_projects)
def award(proposal_id: int):
    """Turn a funded proposal into a project with a contract."""
    try:
        proposal = get_proposal_for_manager(
            db.session(), proposal_id=proposal_id, actor=current_user
        )
    except NotFound:
        abort(404)
    form = AwardForm()
    if form.validate_on_submit():
        done = edge.run(
            lambda: svc.create_award(
                db.session(),
                actor=current_user,
                proposal_id=proposal.id,
                contract_number=form.contract_number.data,
                contract_date=form.contract_date.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                funding_mode=form.funding_mode.data,
                indicators=form.committed_indicators(),
                allocation_override=form.allocation_override.data or "",
            ),
            form=form,
            success=_("Project created."),
        )
        if done:
            return _back(done.value.id)
    return render_template(
        "projects/award.html", form=form, proposal=proposal, allocation=_allocation(proposal)
    )


def _allocation(proposal):
    """The fund's allocation of each year of the proposal's state budget, before signing."""
    s = db.session()
    adding: dict[int, int] = {}
    lines = svc.initial_budget_lines(s, proposal, to_local(utcnow()).date())
    for _category, year, source, amount in lines:
        if source == "state":
            adding[year] = adding.get(year, 0) + amount
    fund_id = s.get_one(Call, proposal.call_id).fund_id
    return money_queries.allocation_checks(s, fund_id, "committed", adding)


@bp.get("/<int:award_id>")
@login_required
def detail(award_id: int):
    return _detail_page(award_id)


def _detail_page(
    award_id: int,
    evaluation: EvaluationForm | None = None,
    regime_form: RegimeForm | None = None,
    report_form: ReportForm | None = None,
    change_form: ChangeForm | None = None,
    preview=None,
):
    """The project page; a refused closeout or report form comes back with what was typed,
    a previewed evaluation with its outcome (refund, regime and basis, consequences)."""
    s = db.session()
    award, proposal = _load(award_id)
    parts = queries.project_parts(s, award.id)
    if report_form is None:
        report_form = ReportForm(formdata=None)
    report_form.milestone_id.choices = _milestone_choices(
        m for m in parts["milestones"] if rules.awaiting_acceptance(m.status)
    )
    periods, unscheduled = queries.report_schedule(s, award)
    actions = project_actions(
        award,
        proposal,
        current_user,
        closeout=parts["closeout"],
        reports=parts["reports"],
        changes=parts["changes"],
    )
    return render_template(
        "projects/detail.html",
        award=award,
        proposal=proposal,
        pi=s.get(User, proposal.pi_id),
        disbursed=svc.disbursed_in(s, award),
        next_report=queries.next_report(s, award),
        periods=periods,
        unscheduled_reports=unscheduled,
        actions=actions,
        tranche_notes=_tranche_notes(s, award, parts, actions.reviewable_reports),
        is_pi=can_report(proposal, current_user),
        can_manage=can_manage_project(proposal, current_user),
        evaluator=can_evaluate(
            proposal, current_user, on_council=svc.on_council(s, award.id, current_user.id)
        ),
        milestone_form=MilestoneForm(formdata=None),
        report_form=report_form,
        change_form=change_form or ChangeForm(formdata=None).with_hosts(_hosts()),
        decision_form=ChangeDecisionForm(formdata=None),
        change_rows=change_queries.change_rows(s, award, to_local(utcnow()).date()),
        change_kind=lambda kind: _(KIND_LABELS.get(kind, kind)),
        stopping_kinds=STOPPING,
        decision_days=legal_settings.value(s, "changes.decision_days"),
        **money_context(s, award, proposal, current_user),
        output_form=OutputForm(formdata=None).with_patents(queries.granted_patents(s, award.id)),
        link_form=PatentLinkForm(formdata=None).with_patents(queries.granted_patents(s, award.id)),
        exploitation_kinds=EXPLOITATION_KINDS,
        final_form=FinalReportForm(formdata=None),
        **_closeout_context(s, award, proposal, evaluation, regime_form),
        preview=preview,
        output_kinds={c.value: c.label for c in OutputForm(formdata=None).kind.choices},
        **parts,
    )


NO_MILESTONE = "none"


def _milestone_choices(milestones):
    """A report names its milestone, or says in so many words that it names none: nothing is
    preselected, so a report never releases nothing by default."""
    return choices(
        [("", _("— choose —"))]
        + [(m.id, m.task) for m in milestones]
        + [(NO_MILESTONE, _("No milestone: progress of the period only (releases no tranche)"))]
    )


def _tranche_notes(s, award, parts, reviewable) -> dict[int, str]:
    """Per report the manager may accept: the tranche rule that applies and what accepting it
    releases (funds.projects.rules.tranche_on_acceptance), said before acceptance."""
    milestones = {m.id: m for m in parts["milestones"]}
    periods = queries.report_periods(s, award)
    notes = {}
    for report in parts["reports"]:
        if report.id not in reviewable:
            continue
        m = milestones.get(report.milestone_id) if report.milestone_id else None
        note = rules.tranche_on_acceptance(
            milestone=m.task if m else None,
            milestone_open=bool(m) and rules.awaiting_acceptance(m.status),
            tranche_vnd=sum(
                t.amount_vnd
                for t in parts["tranches"]
                if m and t.milestone_id == m.id and money_rules.is_outstanding(t.status)
            ),
            held=rules.payment_held(p for p in periods if p.number != report.period),
        )
        params = {**note.params, "amount_vnd": format_money(note.params.get("amount_vnd", 0))}
        notes[report.id] = _(note.message, **params)
    return notes


def _closeout_context(s, award, proposal, evaluation=None, regime_form=None) -> dict:
    """The closeout part of the project page: the regime and its basis, the transitional
    override (managers, when the setting allows), the committed quality indicators and the
    evaluation form (with what was typed, when it was refused)."""
    indicators = regime_svc.quality_indicators(s, award.id)
    allowed = legal_settings.value(s, "closeout.transitional_override")
    can_override = can_override_regime(award, proposal, current_user, allowed=allowed)
    if can_override and regime_form is None:
        regime_form = RegimeForm(formdata=None, regime_code=award.regime_code)
    if regime_form is not None:
        regime_form.regime_code.choices = _regime_choices(s)
    council_items = council_decisions.project_council_items(s, award.id)
    midterm = council_decisions.project_council_items(s, award.id, "midterm")
    evaluation = evaluation or evaluation_form(indicators, formdata=None)
    evaluation.item_id.choices = _council_choices(council_items)
    return dict(
        regime_basis=regime_bases(s).get(award.regime_code, award.regime_basis),
        quality_indicators=indicators,
        evaluation_form=evaluation,
        concluded=len(evaluation.item_id.choices) > 1,
        regime_form=regime_form if can_override else None,
        council_items=council_items,
        self_evaluation=self_evaluation_of(s, award.id),
        can_self_evaluate=can_self_evaluate(award, proposal, current_user),
        midterm_items=midterm,
        stoppable={
            row.item.id
            for row in midterm
            if row.minutes is not None and stoppable(award, proposal, row.item, current_user)
        },
    )


def _council_choices(items):
    """The acceptance council's concluded items a closeout may follow: those whose minutes the
    chair and the secretary signed (reviews.councils.decisions). None is preselected: the
    conclusion carries the rating, which the evaluator chooses knowingly."""
    return choices(
        [("", _("— choose —"))]
        + [
            (row.item.id, f"{row.council.name} — {status_label(row.item.conclusion)}")
            for row in items
            if row.minutes is not None
        ]
    )


def _regime_choices(s):
    bases = regime_bases(s)
    return choices(
        [(r.code, f"{status_label(r.code)} — {bases[r.code]}") for r in regime_svc.regime_spans(s)]
    )


@bp.post("/<int:award_id>/regime")
@requires(can_manage_projects)
@reauth_required
def regime(award_id: int):
    """A transitional override of the closeout regime, with its reason (audited)."""
    _load(award_id)
    f = RegimeForm()
    f.regime_code.choices = _regime_choices(db.session())
    if f.validate_on_submit():
        done = edge.run(
            lambda: co.override_regime(
                db.session(),
                actor=current_user,
                award_id=award_id,
                regime_code=f.regime_code.data,
                reason=f.reason.data or "",
            ),
            form=f,
            success=_("Closeout regime changed."),
        )
        if done:
            return _back(award_id)
    return _detail_page(award_id, regime_form=f)


@bp.post("/<int:award_id>/milestones")
@requires(can_manage_projects)
def milestone(award_id: int):
    _load(award_id)
    f = MilestoneForm()
    if _valid(f):
        edge.run(
            lambda: svc.add_milestone(
                db.session(),
                actor=current_user,
                award_id=award_id,
                owner=f.owner.data,
                task=f.task.data,
                due_date=f.due_date.data,
                deliverable=f.deliverable.data,
                tranche_vnd=f.tranche_vnd.data or 0,
            ),
            success=_("Saved."),
        )
    return _back(award_id)


@bp.post("/<int:award_id>/reports")
@login_required
def report(award_id: int):
    """The PI files the current period's progress report; a refusal keeps what was typed."""
    _load(award_id)
    f = ReportForm()
    parts = queries.project_parts(db.session(), award_id)
    f.milestone_id.choices = _milestone_choices(parts["milestones"])
    if f.validate_on_submit():
        done = edge.run(
            lambda: svc.submit_progress_report(
                db.session(),
                actor=current_user,
                award_id=award_id,
                milestone_id=None
                if f.milestone_id.data == NO_MILESTONE
                else int(f.milestone_id.data),
                progress=f.progress.data,
                spending_vnd=f.spending_vnd.data,
                risks=f.risks.data or "",
            ),
            form=f,
            success=_("Report submitted."),
        )
        if done:
            return _back(award_id)
    return _detail_page(award_id, report_form=f)


@bp.post("/<int:award_id>/reports/<int:report_id>")
@requires(can_manage_projects)
@reauth_required
def review_report(award_id: int, report_id: int):
    """Accept (releasing the tranche) or return a report."""
    _load(award_id)
    accept = request.form.get("decision") == "accept"
    if _valid(ConfirmForm()):
        edge.run(
            lambda: svc.review_progress_report(
                db.session(),
                actor=current_user,
                report_id=report_id,
                accept=accept,
                comment=request.form.get("comment", "")[:5000],
            ),
            success=_("Report accepted.") if accept else _("Report returned."),
        )
    return _back(award_id)


def _hosts():
    """The organisations a project may move to: the register's."""
    return host_queries.search_hosts(db.session(), statuses=PICKABLE, limit=1000)


@bp.post("/<int:award_id>/changes")
@login_required
def change(award_id: int):
    """The PI's change request; a refusal comes back with what was typed, at its field."""
    _load(award_id)
    f = ChangeForm().with_hosts(_hosts())
    if f.validate_on_submit():
        done = edge.run(
            lambda: changes.request_change(
                db.session(),
                actor=current_user,
                award_id=award_id,
                kind=f.kind.data,
                reason=f.reason.data,
                extension_days=f.extension_days.data,
                new_pi_email=f.new_pi_email.data or "",
                new_host_id=int(f.new_host_id.data) if f.new_host_id.data else None,
                from_category=f.from_category.data or "",
                to_category=f.to_category.data or "",
                move_year=f.move_year.data,
                amount_vnd=f.amount_vnd.data,
                used_vnd=f.used_vnd.data,
            ),
            form=f,
            success=_("Request sent."),
        )
        if done:
            return _back(award_id)
    return _detail_page(award_id, change_form=f)


@bp.post("/<int:award_id>/changes/<int:change_id>")
@requires(can_manage_projects)
@reauth_required
def decide_change(award_id: int, change_id: int):
    """Approve (the change takes effect as the next annex) or refuse a change request."""
    _load(award_id)
    approve = request.form.get("decision") == "approve"
    f = ChangeDecisionForm()
    if _valid(f):
        edge.run(
            lambda: changes.decide_change(
                db.session(),
                actor=current_user,
                change_id=change_id,
                approve=approve,
                note=f.note.data or "",
                used_vnd=f.used_vnd.data,
            ),
            success=_("Saved."),
        )
    return _back(award_id)


@bp.post("/<int:award_id>/outputs")
@login_required
def output(award_id: int):
    _load(award_id)
    f = OutputForm().with_patents(queries.granted_patents(db.session(), award_id))
    if _valid(f):
        edge.run(
            lambda: svc.record_output(
                db.session(),
                actor=current_user,
                award_id=award_id,
                kind=f.kind.data,
                title=f.title.data,
                year=f.year.data,
                international=f.international.data,
                reference=f.reference.data or "",
                value_vnd=f.value_vnd.data,
                evidence=f.evidence.data or "",
                exploits_output_id=f.exploits_id(),
            ),
            success=_("Saved."),
        )
    return _back(award_id)


@bp.post("/<int:award_id>/outputs/<int:output_id>/patent")
@login_required
def link_patent(award_id: int, output_id: int):
    """Link a licence, transfer, spin-off or own production to the patent it exploits."""
    _load(award_id)
    f = PatentLinkForm().with_patents(queries.granted_patents(db.session(), award_id))
    if _valid(f):
        edge.run(
            lambda: svc.link_exploitation(
                db.session(),
                actor=current_user,
                output_id=output_id,
                patent_output_id=f.exploits_id(),
            ),
            success=_("Saved."),
        )
    return _back(award_id)


@bp.post("/<int:award_id>/final-report")
@login_required
def final_report(award_id: int):
    _load(award_id)
    f = FinalReportForm()
    if _valid(f):
        edge.run(
            lambda: co.submit_final_report(
                db.session(),
                actor=current_user,
                award_id=award_id,
                text=f.text.data,
                used_vnd=f.used_vnd.data,
            ),
            success=_("Report submitted."),
        )
    return _back(award_id)


@bp.post("/<int:award_id>/evaluation")
@login_required
@reauth_required
def evaluation(award_id: int):
    """The acceptance evaluation, following the acceptance council's concluded item (its
    rating, citing its signed minutes: reviews.councils.decisions.close_from_council); its
    consequences follow from the award's closeout regime (funds.projects.regimes). A refused
    evaluation comes back with everything typed and each error at its answer."""
    award, _proposal = _load(award_id)
    s = db.session()
    indicators = regime_svc.quality_indicators(s, award.id)
    f = evaluation_form(indicators)
    items = {str(row.item.id): row for row in council_decisions.project_council_items(s, award.id)}
    f.item_id.choices = _council_choices(items.values())
    if not f.validate_on_submit():
        return _detail_page(award_id, evaluation=f)
    chosen = items[f.item_id.data].item
    answers = f.evaluation([i.id for i in indicators], Rating(chosen.conclusion))
    if request.form.get("action") == "preview":  # computed by the same rules, nothing saved
        previewed = edge.run(
            lambda: preview_from_council(
                db.session(), actor=current_user, item_id=chosen.id, evaluation=answers
            ),
            form=f,
        )
        return _detail_page(award_id, evaluation=f, preview=previewed.value)
    done = edge.run(
        lambda: close_from_council(
            db.session(),
            actor=current_user,
            item_id=chosen.id,
            evaluation=answers,
            scores=f.scores.data or "",
            risk_category=f.risk_category.data or "",
            expert_opinion=f.expert_opinion.data or "",
            lessons_learned=f.lessons_learned.data or "",
            publish_negative_results=f.publish_negative_results.data,
            previewed=request.form.get("previewed", ""),
        ),
        form=f,
        success=_("Project closed."),
    )
    if done:
        return _back(award_id)
    again = edge.run(  # the outcome as it stands now, shown again to confirm
        lambda: preview_from_council(
            db.session(), actor=current_user, item_id=chosen.id, evaluation=answers
        ),
        show=False,
    )
    return _detail_page(award_id, evaluation=f, preview=again.value)


@bp.get("/<int:award_id>/certificate.pdf")
@login_required
def certificate(award_id: int):
    """The closeout certificate: every milestone with its owner, due date and outcome."""
    s = db.session()
    award, proposal = _load(award_id)
    parts = queries.project_parts(s, award.id)
    if parts["closeout"] is None or parts["closeout"].closed_at is None:
        abort(404)
    html = render_template(
        "projects/certificate.html",
        award=award,
        regime_basis=regime_bases(s).get(award.regime_code, award.regime_basis),
        proposal=proposal,
        pi=s.get(User, proposal.pi_id),
        **parts,
    )
    response = make_response(render_pdf(html, base_url=request.url_root))
    response.headers["Content-Type"] = "application/pdf"
    return response


@bp.get("/indicators")
@requires(can_view_indicators)
def indicators_page():
    """Indicators of a year (filter by fund and area; growth from a baseline year), each with
    its definition, legal target and basis, marked provisional while outputs can still come;
    a chart over five years, drill-down to the outputs; ?format=xlsx, pdf or csv."""
    s = db.session()
    year = request.args.get("year", to_local(utcnow()).year, type=int)
    baseline = request.args.get("baseline", year - 5, type=int)
    fund_id = request.args.get("fund", type=int)
    area = request.args.get("area") or None
    managed = funds_queries.managed_fund_ids(s, current_user)
    ids = queries.award_ids(s, fund_ids=managed, fund_id=fund_id, area=area)
    history = queries.indicator_report(s, ids, range(year - 4, year + 1))
    chosen = queries.indicator_report(s, ids, range(year, year + 1), baseline)[year]
    rows = [shown(i) for i in chosen]
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        return _indicators_export(rows, history, year, fmt)
    numbers = {i.code: i.number for i in s.exec(select(LegalInstrument)).all()}
    context = dict(
        rows=[r | {"legal_basis": basis_text(r["legal_basis"], numbers)} for r in rows],
        year=year,
        baseline=baseline,
        chart=indicator_chart(history),
        fund_id=fund_id,
        area=area,
        funds=funds_queries.funds_with_calls(s, fund_ids=managed),
        areas=funds_queries.areas(s),
        drill=queries.output_rows(s, ids, year),
        output_kinds={c.value: c.label for c in OutputForm(formdata=None).kind.choices},
    )
    if fmt == "pdf":
        html = render_template("projects/indicators_pdf.html", **context)
        return make_response(
            render_pdf(html, base_url=request.url_root), 200, {"Content-Type": "application/pdf"}
        )
    return render_template("projects/indicators.html", **context)


def shown(i) -> dict:
    """An indicator as the page and the exports show it, in the user's language."""
    if i.denominator == 0:  # a ratio over nothing: no data, neither 0% nor 100%
        text = _("no data")
    elif i.value is None:
        text = _("not evaluable")
    elif i.unit == "days":
        text = _("%(n)s days", n=f"{float(i.value):.0f}")
    elif i.unit == "vnd":
        text = format_money(int(i.value))
    elif i.unit == "count":
        text = str(int(i.value))
    else:
        text = format_percent(i.value, 2)
    return {
        "id": i.id,
        "name": indicator_name(i.id),
        "unit": i.unit,
        "value": i.value,
        "text": text,
        "numerator": i.numerator,
        "denominator": i.denominator,
        "target": _(i.spec.target) if i.spec.target else "—",
        "definition": _(i.spec.definition),
        "legal_basis": i.spec.legal_basis,
        "provisional": i.provisional,
    }


def _indicators_export(rows, history, year, fmt):
    import pandas as pd

    def number(value, unit):  # display only: a share or growth in per cent, else as is
        if value is None:
            return None
        return round(float(value) * (100 if unit in ("share", "growth") else 1), 4)

    current = pd.DataFrame(
        [
            {
                "year": year,
                "indicator": r["id"],
                "unit": r["unit"],
                "value": number(r["value"], r["unit"]),
                "numerator": r["numerator"],
                "denominator": r["denominator"],
                "provisional": r["provisional"],
                "target": r["target"],
                "legal_basis": r["legal_basis"],
                "definition": r["definition"],
            }
            for r in rows
        ]
    )
    if fmt == "csv":
        body = safe_frame(current).to_csv(index=False)
        return make_response(body, 200, {"Content-Type": "text/csv; charset=utf-8"})
    # one row per indicator, one column per year (the workbook heads the columns)
    ids = [i.id for i in next(reversed(history.values()), [])]
    years = pd.DataFrame(
        [
            {
                "indicator": ident,
                **{
                    y: next((number(i.value, i.unit) for i in items if i.id == ident), None)
                    for y, items in history.items()
                },
            }
            for ident in ids
        ]
    )
    response = make_response(workbook({"Indicators": current, "Over the years": years}))
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return response


@bp.route("/outputs/import", methods=["GET", "POST"])
@requires(can_import_outputs)
def import_outputs_page():
    """Upload outputs as CSV or XLSX; every row error is listed and nothing is written."""
    form = OutputImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:  # nothing is written unless every row passes: the edge rolls back
            done = edge.run(
                lambda: import_outputs(
                    db.session(),
                    actor=current_user,
                    rows=read_table(upload.filename or "", upload.read()),
                ),
                show=False,
            )
        except (ValueError, UnicodeDecodeError):
            problems = [_("The file could not be read as CSV or XLSX.")]
        else:
            if done:
                flash(_("%(n)s outputs imported.", n=done.value), "success")
                return redirect(url_for("projects.index"))
            exc = done.error
            problems = [_(v.message, **v.params) for v in getattr(exc, "violations", [])] or [
                _(exc.message, **exc.params)
            ]
    return render_template("projects/import_outputs.html", form=form, problems=problems)
