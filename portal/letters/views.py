"""Decision letters: the fund's template, a call's decisions with their letters, sending the
selected ones after a check (counts, money against the call's budget), and each letter as
PDF — a draft for the fund's managers until it is issued, then the issued text for the
applicant, with the consensus report and the reviewers' anonymised comments."""

from urllib.parse import quote

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlmodel import select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.errors import NotFound
from funds.letters import queries
from funds.letters import services as svc
from funds.letters.permissions import can_issue_letters, can_read_letter
from funds.letters.rules import PLACEHOLDERS
from funds.proposals import queries as proposals_queries
from funds.proposals.models import Proposal
from portal import db, edge
from portal.letters.forms import CsrfForm, LetterTemplateForm
from portal.reports.pdf import render_pdf
from portal.security import requires
from reviews.consolidation.lottery import queries as lottery_queries
from reviews.consolidation.services import consensus_for
from reviews.reviewing import queries as review_queries
from reviews.reviewing.permissions import can_manage_reviews

bp = Blueprint("letters", __name__, url_prefix="/letters")


@bp.route("/templates", methods=["GET", "POST"])
@requires(can_manage_reviews)
def templates():
    """The fund's decision letter: letterhead, signature block and the two texts."""
    s = db.session()
    funds = [
        f
        for f in s.exec(select(Fund).order_by(Fund.name)).all()
        if can_issue_letters(current_user, f)
    ]
    fund_id = request.args.get("fund_id", type=int) or (funds[0].id if funds else None)
    fund = next((f for f in funds if f.id == fund_id), None)
    if fund is None:
        abort(404)
    latest = queries.latest_template(s, fund.id)
    form = LetterTemplateForm(
        obj=latest,
        body=latest.body if latest else queries.builtin_text("funded"),
        body_not_funded=latest.body_not_funded if latest else queries.builtin_text("not_funded"),
        note="",
    )
    if form.validate_on_submit() and edge.run(
        lambda: svc.save_template(
            db.session(),
            actor=current_user,
            fund_id=fund.id,
            body=form.body.data,
            body_not_funded=form.body_not_funded.data,
            issuer=form.issuer.data or "",
            place=form.place.data or "",
            signatory_name=form.signatory_name.data or "",
            signatory_title=form.signatory_title.data or "",
            note=form.note.data or "",
        ),
        form=form,
        success=_("A new version of the decision letter is saved."),
    ):
        return redirect(url_for("letters.templates", fund_id=fund.id))
    return render_template(
        "letters/templates.html",
        form=form,
        fund=fund,
        funds=funds,
        versions=queries.templates_of(s, fund.id),
        placeholders=[(k, _(v)) for k, v in PLACEHOLDERS.items()],
    )


def _selected() -> list[int]:
    return [int(v) for v in request.form.getlist("decision") if v.isdigit()]


@bp.route("/calls/<int:call_id>", methods=["GET", "POST"])
@requires(can_manage_reviews)
def call(call_id: int):
    """The call's decisions and their letters. Posting a selection shows the check; posting
    it again with confirm=yes issues the letters and tells each applicant."""
    s = db.session()
    try:
        the_call = svc.managed_call(s, current_user, call_id)
    except NotFound:
        abort(404)
    form = CsrfForm()
    check = None
    if request.method == "POST" and form.validate_on_submit():
        chosen = _selected()
        if request.form.get("confirm") == "yes":
            done = edge.run(
                lambda: svc.send_decisions(
                    db.session(), actor=current_user, call_id=call_id, decision_ids=chosen
                )
            )
            if done:
                n = len(done.value)
                flash(
                    ngettext(
                        "%(num)d decision letter issued.", "%(num)d decision letters issued.", n
                    ),
                    "success",
                )
                return redirect(url_for("letters.call", call_id=call_id))
        check = svc.check(s, actor=current_user, call_id=call_id, decision_ids=chosen)
    rows = queries.decisions_of_call(s, the_call.id)
    return render_template(
        "letters/call.html",
        call=the_call,
        rows=rows,
        check=check,
        selected={c.decision_id for c in check.selected} if check else set(),
        form=form,
    )


@bp.get("/proposals/<int:proposal_id>.pdf")
@login_required
def pdf(proposal_id: int):
    """The decision letter: letterhead, number, text, signature block; then the consensus
    report and the reviewers' anonymised comments, never their names; and the lottery at the
    funding line the proposal took part in, if any."""
    s = db.session()
    proposal = s.get(Proposal, proposal_id)
    decision = proposals_queries.decision_for(s, proposal_id) if proposal else None
    if proposal is None or decision is None:
        abort(404)
    letter = queries.letter_view(s, decision, proposal)
    if not can_read_letter(current_user, proposal, issued=not letter.draft):
        abort(404)
    report = consensus_for(s, proposal.id)
    html = render_template(
        "letters/letter.html",
        letter=letter,
        proposal=proposal,
        decision=decision,
        call=s.get(Call, proposal.call_id),
        pi=s.get(User, proposal.pi_id),
        report=report if report and report.approved_at else None,
        reviews=review_queries.anonymous_reviews(s, proposal.id),
        lottery=lottery_queries.drawn_lottery_of(s, proposal),
    )
    response = make_response(render_pdf(html, base_url=request.url_root))
    response.headers["Content-Type"] = "application/pdf"
    # the number holds "Đ": an ASCII name for every client, the real one in filename*
    name = f"decision-{letter.number or f'draft-{proposal.id}'}.pdf"
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"decision-{proposal.id}.pdf\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@bp.app_template_global("letter_state")
def letter_state(proposal) -> dict:
    """Whether this user may open the proposal's decision letter, and whether it is issued."""
    s = db.session()
    decision = proposals_queries.decision_for(s, proposal.id)
    if decision is None:
        return {"readable": False, "issued": None}
    issued = queries.letter_of(s, decision.id)
    return {
        "readable": can_read_letter(current_user, proposal, issued=issued is not None),
        "issued": issued,
    }
