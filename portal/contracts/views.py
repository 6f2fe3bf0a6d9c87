"""The contract of a funded proposal: drafted from its approved appraisal, its terms, each
generated version (PDF, DOCX) with its SHA-256, the signatures of the fund, the host and the
PI (each re-authenticated, on the hash shown), and its state until it is in force; the
fund's contract templates."""

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
from funds.calls import queries as call_queries
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from funds.contracts import queries
from funds.contracts import services as svc
from funds.contracts.models import ContractDocument, Party
from funds.contracts.permissions import can_manage_templates, can_view_contract, contract_actions
from funds.contracts.rules import PARTIES, PARTY_LABELS, PLACEHOLDERS
from funds.errors import NotFound
from portal import db, edge
from portal.contracts.forms import (
    CancelForm,
    CsrfForm,
    SignForm,
    TemplateForm,
    TermsForm,
    products_text,
    read_tranches,
)
from portal.contracts.render import amendments_pdf, contract_documents, payment_label
from portal.mfa.reauth import reauth_required
from portal.security import requires

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


def _load(contract_id: int) -> svc.ContractAccess:
    try:
        return svc.get_contract_for(db.session(), actor=current_user, contract_id=contract_id)
    except NotFound:
        abort(404)


def _back(contract_id: int):
    return redirect(url_for("contracts.page", contract_id=contract_id))


def _page(contract_id: int, *, terms: TermsForm | None = None, typed=None, errors=None, status=200):
    """The contract page; refused terms come back with what was typed."""
    s, found = db.session(), _load(contract_id)
    contract, proposal = found.contract, found.proposal
    latest = queries.latest_document(s, contract.id)
    current = queries.is_current(contract, latest)
    signed = queries.signed_parties(s, latest.id) if latest else set()
    record = queries.contract_record(s, contract)
    if terms is None:
        terms = TermsForm(
            formdata=None,
            start_date=contract.start_date,
            end_date=contract.end_date,
            funding_mode=contract.funding_mode,
            products=products_text(record.products),
        )
    rows = queries.signatures(s, contract.id)
    actions = contract_actions(contract, proposal, current_user, current=current, signed=signed)
    return render_template(
        "contracts/page.html",
        contract=contract,
        proposal=proposal,
        record=record,
        actions=actions,
        latest=latest,
        current=current,
        documents=queries.documents(s, contract.id),
        signatures=rows,
        signers={r.user_id: s.get(User, r.user_id) for r in rows},
        parties=PARTIES,
        party_label=lambda p: _(PARTY_LABELS[p]),
        payment_label=payment_label,
        signs_for_fund=actions.sign_as == Party.FUND,
        terms_form=terms,
        sign_form=SignForm(formdata=None, sha256=latest.sha256 if latest else ""),
        cancel_form=CancelForm(formdata=None),
        csrf_form=CsrfForm(formdata=None),
        typed=typed or {},
        errors=errors or {},
    ), status


@bp.post("/proposals/<int:proposal_id>/draft")
@login_required
def draft(proposal_id: int):
    """Draft the contract of a proposal whose appraisal is approved."""
    if not CsrfForm().validate_on_submit():
        abort(400)
    done = edge.run(
        lambda: svc.draft_contract(db.session(), actor=current_user, proposal_id=proposal_id),
        success=_("The contract is drafted."),
        show=False,
    )
    if not done:
        abort(404)
    return _back(done.value.id)


@bp.get("/<int:contract_id>")
@login_required
def page(contract_id: int):
    return _page(contract_id)


@bp.post("/<int:contract_id>/terms")
@login_required
def terms(contract_id: int):
    """The draft's terms; refused ones come back as typed, the message at their field."""
    s, found = db.session(), _load(contract_id)
    form = TermsForm()
    lines = [w.line_id for w in queries.work_items(s, found.contract)]
    tranches, errors = read_tranches(request.form, lines)
    if form.validate_on_submit() and not errors:
        done = edge.run(
            lambda: svc.update_terms(
                db.session(),
                actor=current_user,
                contract_id=contract_id,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                funding_mode=form.funding_mode.data,
                products=form.product_terms(),
                tranches=tranches,
            ),
            form=form,
            success=_("The terms are saved. Make the document again before sending it."),
        )
        if done:
            return _back(contract_id)
        tranche_errors = [
            _(v.message, **v.params)
            for v in getattr(done.error, "violations", [])
            if v.field == "tranches"
        ]
        if tranche_errors:
            errors["tranches"] = tranche_errors[0]
    return _page(contract_id, terms=form, typed=request.form, errors=errors, status=400)


@bp.post("/<int:contract_id>/generate")
@login_required
def generate(contract_id: int):
    """A new version of the document (PDF and DOCX); earlier signatures no longer count."""
    _load(contract_id)
    if CsrfForm().validate_on_submit():
        edge.run(
            lambda: svc.generate_document(
                db.session(), actor=current_user, contract_id=contract_id, render=contract_documents
            ),
            success=_("A new version of the contract was made."),
        )
    return _back(contract_id)


@bp.post("/<int:contract_id>/send")
@login_required
def send(contract_id: int):
    _load(contract_id)
    if CsrfForm().validate_on_submit():
        edge.run(
            lambda: svc.send_for_signature(
                db.session(), actor=current_user, contract_id=contract_id
            ),
            success=_("The contract was sent for signature."),
        )
    return _back(contract_id)


@bp.post("/<int:contract_id>/return")
@login_required
def back_to_draft(contract_id: int):
    _load(contract_id)
    if CsrfForm().validate_on_submit():
        edge.run(
            lambda: svc.return_to_draft(db.session(), actor=current_user, contract_id=contract_id),
            success=_("The contract is a draft again."),
        )
    return _back(contract_id)


@bp.post("/<int:contract_id>/cancel")
@login_required
@reauth_required
def cancel(contract_id: int):
    _load(contract_id)
    form = CancelForm()
    if form.validate_on_submit():
        edge.run(
            lambda: svc.cancel_contract(
                db.session(), actor=current_user, contract_id=contract_id, reason=form.reason.data
            ),
            form=form,
            success=_("The contract is cancelled."),
        )
    else:
        flash(_("Give the reason."), "error")
    return _back(contract_id)


@bp.post("/<int:contract_id>/sign")
@login_required
@reauth_required
def sign(contract_id: int):
    """Sign the version shown, on its SHA-256 (the fund, the host or the PI)."""
    _load(contract_id)
    form = SignForm()
    if form.validate_on_submit():
        edge.run(
            lambda: svc.sign_contract(
                db.session(),
                actor=current_user,
                contract_id=contract_id,
                sha256=form.sha256.data,
                allocation_override=form.allocation_override.data or "",
            ),
            form=form,
            success=_("You signed the contract."),
        )
    return _back(contract_id)


@bp.get("/<int:contract_id>/amendments.pdf")
@login_required
def amendments(contract_id: int):
    """The amendment annexes of a contract in force (its approved change requests)."""
    found = _load(contract_id)
    record = queries.contract_record(db.session(), found.contract)
    response = make_response(amendments_pdf(record))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="{found.contract.number}-amendments.pdf"'
    )
    return response


def _document(document_id: int) -> ContractDocument:
    document = db.session().get(ContractDocument, document_id)
    if document is None:
        abort(404)
    _load(document.contract_id)
    return document


@bp.get("/documents/<int:document_id>.pdf")
@login_required
def pdf(document_id: int):
    document = _document(document_id)
    return _file(document.pdf, "application/pdf", document, "pdf", "inline")


@bp.get("/documents/<int:document_id>.docx")
@login_required
def docx(document_id: int):
    document = _document(document_id)
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _file(document.docx, kind, document, "docx", "attachment")


def _file(body: bytes, kind: str, document: ContractDocument, ext: str, how: str):
    contract = _load(document.contract_id).contract
    response = make_response(body)
    response.headers["Content-Type"] = kind
    response.headers["Content-Disposition"] = (
        f'{how}; filename="{contract.number}-v{document.version}.{ext}"'
    )
    return response


@bp.route("/templates", methods=["GET", "POST"])
@requires(can_manage_templates)
def templates():
    """The fund's contract text with its placeholders; saving makes a new version."""
    s = db.session()
    funds = [
        f for f in s.exec(select(Fund).order_by(Fund.name)).all() if manages_fund(current_user, f)
    ]
    if not funds:
        abort(404)
    fund_id = request.args.get("fund_id", type=int) or funds[0].id
    fund = next((f for f in funds if f.id == fund_id), None)
    if fund is None:
        abort(404)
    latest = queries.latest_template(s, fund.id)
    form = TemplateForm(body=latest.body if latest else queries.builtin_template())
    if form.validate_on_submit() and edge.run(
        lambda: svc.save_template(
            db.session(),
            actor=current_user,
            fund_id=fund.id,
            body=form.body.data,
            note=form.note.data or "",
        ),
        form=form,
        success=_("A new version of the contract text is saved."),
    ):
        return redirect(url_for("contracts.templates", fund_id=fund.id))
    return render_template(
        "contracts/templates.html",
        form=form,
        fund=fund,
        funds=funds,
        versions=queries.templates_of(s, fund.id),
        placeholders=[(k, _(v)) for k, v in PLACEHOLDERS.items()],
        managed=call_queries.managed_fund_ids(s, current_user),
    )


@bp.app_template_global("after_selection")
def after_selection(proposal) -> dict:
    """The proposal's and project's links to its appraisal and contract, for this user."""
    from funds.appraisal import queries as appraisal_queries
    from funds.appraisal.permissions import can_open_appraisal, can_view_appraisal

    s = db.session()
    appraisal = appraisal_queries.appraisal_of(s, proposal.id)
    appointed = appraisal is not None and current_user.id in appraisal_queries.appraiser_ids(
        s, appraisal.id
    )
    contract = queries.live_contract(s, proposal.id)
    return {
        "appraisal": appraisal
        if appraisal is not None and can_view_appraisal(proposal, current_user, appointed=appointed)
        else None,
        "can_open_appraisal": appraisal is None and can_open_appraisal(proposal, current_user),
        "contract": contract
        if contract is not None and can_view_contract(proposal, current_user)
        else None,
    }
