"""Council members' pages: "My councils", an item with its rating sheet and ballot, the
result once concluded; the secretary (or the chair) closes the vote here."""

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.errors import NotFound, StaleEdit
from portal import db, edge
from portal.council_work.forms import CloseForm, ballot_form, sheet_form_class, sheet_values
from portal.council_work.labels import choice_label, role_label, sheet_criterion
from portal.lottery.views import council_lottery_args
from portal.rebuttal.views import council_response_args
from portal.reviews.dossier import assembled_pdf, dossier_page_args, pdf_response
from portal.security import requires
from portal.states import state_label
from reviews.councils.ballots.permissions import can_close_vote, can_see_result, can_vote
from reviews.councils.ballots.queries import has_voted, vote_result, votes_cast
from reviews.councils.ballots.services import cast_vote, close_vote
from reviews.councils.meetings.permissions import can_run_meeting
from reviews.councils.meetings.queries import member_agenda
from reviews.councils.rules import CHOICES, ITEM
from reviews.councils.sheets.permissions import can_fill_sheet, can_open_council_work
from reviews.councils.sheets.queries import (
    item_context,
    sheet_form,
    sheet_of,
    visible_sheets,
)
from reviews.councils.sheets.rules import load_checks, load_scores
from reviews.councils.sheets.services import save_sheet
from reviews.dossier.services import dossier_for_council

bp = Blueprint("council_work", __name__, url_prefix="/council-work")


@bp.app_context_processor
def _helpers():
    return {
        "choice_label": choice_label,
        "sheet_criterion": sheet_criterion,
        "council_role": role_label,
        "item_label": lambda status: state_label(ITEM, status),
    }


@bp.get("/")
@requires(can_open_council_work)
def mine():
    """The member's agenda: every item of their councils' meetings."""
    s = db.session()
    rows = member_agenda(s, current_user)
    runs = {
        row.meeting.id for row in rows if can_run_meeting(False, row.seat, current_user)
    }  # the secretary moves the meeting along from its page
    return render_template("council_work/mine.html", rows=rows, titles=_titles(s, rows), runs=runs)


def _titles(s, rows) -> dict[int, str]:
    """Each item's proposal title (a project's, through its award)."""
    from funds.projects.models import Award
    from funds.proposals.models import Proposal

    out = {}
    for row in rows:
        if row.item is None:
            continue
        pid = row.item.proposal_id
        if pid is None and (award := s.get(Award, row.item.award_id)) is not None:
            pid = award.proposal_id
        if pid is not None and (p := s.get(Proposal, pid)) is not None:
            out[row.item.id] = p.title
    return out


def _context(item_id: int):
    try:
        return item_context(db.session(), actor=current_user, item_id=item_id)
    except NotFound:
        abort(404)


def _saved_data(sheet, form_spec) -> dict:
    if sheet is None:
        return {"version_id": 0}
    data = {"opinion": sheet.opinion, "version_id": sheet.version_id}
    data |= {f"score_{k}": v for k, v in load_scores(sheet.scores).items()}
    for k, check in load_checks(sheet.indicator_checks).items():
        data[f"indicator_{k}"] = {True: "met", False: "not_met"}.get(check.met)
        data[f"measured_{k}"] = check.measured
    return data


@bp.get("/items/<int:item_id>")
@requires(can_open_council_work)
def item(item_id: int):
    """The item: its subject, the member's sheet, the ballot, the result, the tables."""
    ctx = _context(item_id)
    s = db.session()
    spec = sheet_form(s, ctx)
    sheet = sheet_of(s, item_id, ctx.seat.id) if ctx.seat else None
    form = sheet_form_class(spec.criteria, spec.indicators)(data=_saved_data(sheet, spec))
    return _page(ctx, spec, sheet, form)


def _page(ctx, spec, sheet, form, *, stale=None, status=200, ballot=None, close_form=None):
    s = db.session()
    voted = has_voted(s, ctx.item.id, ctx.seat.id if ctx.seat else None)
    return (
        render_template(
            "council_work/item.html",
            ctx=ctx,
            subject=_subject(ctx),
            spec=spec,
            sheet=sheet,
            own_scores=load_scores(sheet.scores) if sheet else {},
            form=form,
            stale=stale,
            can_fill=can_fill_sheet(ctx, sheet, current_user),
            can_vote=can_vote(ctx, current_user, has_voted=voted),
            voted=voted,
            ballot=ballot or ballot_form(CHOICES[ctx.kind]),
            secret=ctx.spec.ballot == "secret",
            can_close=can_close_vote(ctx, current_user),
            close_form=close_form or CloseForm(),
            cast=votes_cast(s, ctx.item.id),
            result=vote_result(s, ctx.item, ctx.council)
            if can_see_result(ctx, current_user)
            else None,
            table=visible_sheets(s, actor=current_user, item_id=ctx.item.id),
            **_dossier_args(ctx),
            **council_response_args(ctx.item.proposal_id),
            **council_lottery_args(ctx.item.proposal_id),
        ),
        status,
    )


def _dossier_args(ctx) -> dict:
    """The whole proposal as submitted, for an item about a proposal (the same partial as
    the reviewers'); the member's access to the item is checked by _context."""
    if ctx.item.proposal_id is None:
        return {"d": None}
    try:
        dossier = dossier_for_council(db.session(), proposal_id=ctx.item.proposal_id)
    except NotFound:
        return {"d": None}
    pdf_url = url_for("council_work.proposal_pdf", item_id=ctx.item.id)
    return dossier_page_args(dossier, pdf_url=pdf_url)


@bp.get("/items/<int:item_id>/proposal.pdf")
@requires(can_open_council_work)
def proposal_pdf(item_id: int):
    """The item's proposal as submitted, with its PDF files, in one PDF."""
    ctx = _context(item_id)
    if ctx.item.proposal_id is None:
        abort(404)
    try:
        dossier = dossier_for_council(db.session(), proposal_id=ctx.item.proposal_id)
    except NotFound:
        abort(404)
    response = council_response_args(ctx.item.proposal_id)["response"]
    return pdf_response(assembled_pdf(dossier, response=response), f"proposal-item-{item_id}.pdf")


def _subject(ctx):
    from funds.projects.models import Award
    from funds.proposals.models import Proposal

    s = db.session()
    if ctx.item.proposal_id is not None:
        return {"proposal": s.get(Proposal, ctx.item.proposal_id)}
    award = s.get(Award, ctx.item.award_id)
    return {"award": award, "proposal": s.get(Proposal, award.proposal_id) if award else None}


@bp.post("/items/<int:item_id>/sheet")
@requires(can_open_council_work)
def save(item_id: int):
    """Save or submit the sheet; a stale version keeps what was typed and says why."""
    ctx = _context(item_id)
    s = db.session()
    spec = sheet_form(s, ctx)
    form = sheet_form_class(spec.criteria, spec.indicators)()
    autosave = request.headers.get("X-Requested-With") == "fetch"
    submit = request.form.get("action") == "submit"
    if not form.validate_on_submit():
        return _refused(ctx, spec, form, autosave, _("Check the marked fields."))
    scores, checks = sheet_values(form, spec.criteria, spec.indicators)
    done = edge.run(
        lambda: save_sheet(
            s,
            actor=current_user,
            item_id=item_id,
            scores=scores,
            opinion=form.opinion.data or "",
            indicator_checks=checks,
            version_id=form.version_id.data or 0,
            submit=submit,
        ),
        form=form,
        show=not autosave,
        success=None if autosave else (_("Sheet submitted.") if submit else _("Sheet saved.")),
    )
    if done:
        if autosave:
            return jsonify(version_id=done.value.version_id, message=_("Saved."))
        return redirect(url_for("council_work.item", item_id=item_id))
    return _refused(ctx, spec, form, autosave, edge.message(done.error), done.error)


def _refused(ctx, spec, form, autosave, message, error=None):
    """The form again with what was typed; a stale save also shows the saved version."""
    stale = isinstance(error, StaleEdit)
    code = 409 if stale else 422
    if autosave:
        errors = {f.name: [str(e) for e in f.errors] for f in form if f.errors}
        return jsonify(message=message, errors=errors), code
    sheet = sheet_of(db.session(), ctx.item.id, ctx.seat.id) if ctx.seat else None
    if stale and sheet is not None:
        form.version_id.data = sheet.version_id  # saving again now replaces the saved one
    return _page(ctx, spec, sheet, form, stale=sheet if stale else None, status=code)


@bp.post("/items/<int:item_id>/vote")
@requires(can_open_council_work)
def vote(item_id: int):
    """Cast the member's vote; under a secret ballot nothing keeps what it was."""
    ctx = _context(item_id)
    form = ballot_form(CHOICES[ctx.kind])
    if form.validate_on_submit() and edge.run(
        lambda: cast_vote(
            db.session(), actor=current_user, item_id=item_id, choice=form.choice.data
        ),
        form=form,
        success=_("Your vote has been counted."),
    ):
        return redirect(url_for("council_work.item", item_id=item_id))
    s = db.session()
    spec = sheet_form(s, ctx)
    sheet = sheet_of(s, item_id, ctx.seat.id) if ctx.seat else None
    page = sheet_form_class(spec.criteria, spec.indicators)(data=_saved_data(sheet, spec))
    return _page(ctx, spec, sheet, page, status=422, ballot=form)


@bp.post("/items/<int:item_id>/close")
@requires(can_open_council_work)
def close(item_id: int):
    """The secretary or the chair closes the vote with the requested changes and dissent."""
    ctx = _context(item_id)
    form = CloseForm()
    if form.validate_on_submit() and edge.run(
        lambda: close_vote(
            db.session(),
            actor=current_user,
            item_id=item_id,
            requested_changes=form.requested_changes.data or "",
            dissent=form.dissent.data or "",
        ),
        form=form,
        success=_("The vote is closed and its count published."),
    ):
        return redirect(url_for("council_work.item", item_id=item_id))
    s = db.session()
    spec = sheet_form(s, ctx)
    sheet = sheet_of(s, item_id, ctx.seat.id) if ctx.seat else None
    page = sheet_form_class(spec.criteria, spec.indicators)(data=_saved_data(sheet, spec))
    return _page(ctx, spec, sheet, page, status=422, close_form=form)
