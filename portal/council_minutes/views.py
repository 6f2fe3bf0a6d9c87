"""Minutes of council meetings (versions, sign-off, download), the fund's selection decision
citing them, the host's self-evaluation and a mid-term council's stop."""

from flask import Blueprint, abort, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from funds.errors import NotFound
from funds.projects import services as project_svc
from funds.projects.acceptance.permissions import can_self_evaluate
from funds.projects.acceptance.services import record_self_evaluation, self_evaluation_of
from funds.projects.permissions import can_list_projects
from portal import db, edge
from portal.council_minutes.forms import (
    GenerateForm,
    SelfEvaluationForm,
    SignForm,
    StopForm,
    decision_form,
    outcomes_of,
)
from portal.council_minutes.labels import label
from portal.council_minutes.render import decision_pdf, minutes_pdf
from portal.mfa.reauth import reauth_required
from portal.security import requires
from reviews.councils.decisions import queries as dq
from reviews.councils.decisions.models import CouncilDecision
from reviews.councils.decisions.permissions import (
    can_decide_on_council,
    can_decide_selection,
    can_make_council_decisions,
)
from reviews.councils.decisions.services import decide_selection, stop_from_council
from reviews.councils.meetings.queries import item_access, meeting_access
from reviews.councils.minutes import queries as mq
from reviews.councils.minutes.permissions import (
    can_generate_minutes,
    can_open_minutes,
    can_sign_minutes,
)
from reviews.councils.minutes.services import generate_minutes, minutes_for, sign_minutes

bp = Blueprint("council_minutes", __name__, url_prefix="/council-minutes")


def _meeting(meeting_id: int):
    try:
        return meeting_access(db.session(), actor=current_user, meeting_id=meeting_id)
    except NotFound:
        abort(404)


def _pdf(body: bytes, name: str):
    response = make_response(body)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.get("/meetings/<int:meeting_id>")
@requires(can_open_minutes)
def minutes(meeting_id: int):
    """The minutes' versions with their SHA-256 and sign-offs; make a version, sign."""
    s, found = db.session(), _meeting(meeting_id)
    versions = mq.versions(s, meeting_id)
    signed = mq.signatures(s, [m.id for m in versions])
    newest = {lang: mq.latest(s, meeting_id, lang) for lang in ("vi", "en")}
    signable = {
        m.id
        for m in versions
        if can_sign_minutes(
            found.seat,
            current_user,
            latest=newest.get(m.language) is not None and newest[m.language].id == m.id,
            signed_roles={x.role for x in signed[m.id]},
        )
    }
    decision = dq.decision_of_meeting(s, meeting_id)
    return render_template(
        "council_minutes/minutes.html",
        meeting=found.meeting,
        council=found.council,
        versions=versions,
        signatures=signed,
        signable=signable,
        latest_ids={m.id for m in newest.values() if m is not None},
        signed_id=getattr(mq.signed_minutes(s, meeting_id), "id", None),
        can_generate=can_generate_minutes(
            found.meeting, found.seat, current_user, manages=found.manages
        ),
        can_decide=decision is None
        and can_decide_selection(found.council, current_user, manages=found.manages),
        decision=decision,
        generate_form=GenerateForm(formdata=None),
        sign_form=SignForm(formdata=None),
        label=label,
    )


@bp.post("/meetings/<int:meeting_id>/generate")
@requires(can_open_minutes)
def generate(meeting_id: int):
    """A new version of the minutes in Vietnamese (or English on request)."""
    _meeting(meeting_id)
    form = GenerateForm()
    if form.validate_on_submit():
        edge.run(
            lambda: generate_minutes(
                db.session(),
                actor=current_user,
                meeting_id=meeting_id,
                language=form.language.data,
                render=minutes_pdf,
            ),
            success=_("A new version of the minutes was made."),
        )
    return redirect(url_for("council_minutes.minutes", meeting_id=meeting_id))


@bp.post("/minutes/<int:minutes_id>/sign")
@requires(can_open_minutes)
@reauth_required
def sign(minutes_id: int):
    """The chair or the secretary signs the version shown, on its SHA-256."""
    found = _minutes(minutes_id)
    form = SignForm()
    if form.validate_on_submit():
        edge.run(
            lambda: sign_minutes(
                db.session(),
                actor=current_user,
                minutes_id=minutes_id,
                sha256=form.sha256.data or None,
            ),
            success=_("You signed the minutes."),
        )
    return redirect(url_for("council_minutes.minutes", meeting_id=found.meeting_id))


def _minutes(minutes_id: int):
    try:
        return minutes_for(db.session(), actor=current_user, minutes_id=minutes_id)
    except NotFound:
        abort(404)


@bp.get("/minutes/<int:minutes_id>.pdf")
@requires(can_open_minutes)
def download(minutes_id: int):
    found = _minutes(minutes_id)
    return _pdf(found.pdf, f"bien-ban-{found.meeting_id}-v{found.version}-{found.language}.pdf")


@bp.route("/meetings/<int:meeting_id>/decision", methods=["GET", "POST"])
@requires(can_make_council_decisions)
@reauth_required
def decision(meeting_id: int):
    """The fund's selection decision: the items in the council's ranking with its
    recommendation, an outcome and, for a departure, its reason."""
    s, found = db.session(), _meeting(meeting_id)
    if not can_decide_selection(found.council, current_user, manages=found.manages):
        abort(403)
    rows = [r for r in dq.ranked_items(s, meeting_id) if r.decidable]
    form = decision_form(rows)
    if form.validate_on_submit():
        done = edge.run(
            lambda: decide_selection(
                db.session(),
                actor=current_user,
                meeting_id=meeting_id,
                outcomes=outcomes_of(form, rows),
                number=form.number.data or "",
                render=decision_pdf,
            ),
            form=form,
            success=_("The selection decision was recorded."),
        )
        if done:
            return redirect(url_for("council_minutes.minutes", meeting_id=meeting_id))
    return render_template(
        "council_minutes/decision.html",
        meeting=found.meeting,
        council=found.council,
        rows=rows,
        departing={r.item.id for r in rows if _departs(form, r)},
        form=form,
        minutes=mq.signed_minutes(s, meeting_id),
        label=label,
    )


def _departs(form, row) -> bool:
    from reviews.councils.decisions.rules import is_departure

    return is_departure(row.item.conclusion, form[f"outcome_{row.item.id}"].data or "")


@bp.get("/decisions/<int:decision_id>.pdf")
@requires(can_make_council_decisions)
def decision_document(decision_id: int):
    row = db.session().get(CouncilDecision, decision_id)
    if row is None or row.pdf is None:
        abort(404)
    _meeting(row.meeting_id)
    return _pdf(row.pdf, f"quyet-dinh-{row.id}.pdf")


@bp.route("/projects/<int:award_id>/self-evaluation", methods=["GET", "POST"])
@requires(can_list_projects)
def self_evaluation(award_id: int):
    """The host organisation's self-evaluation, recorded by the PI on its behalf."""
    s = db.session()
    try:
        award, proposal = project_svc.get_project_for(s, award_id=award_id, actor=current_user)
    except NotFound:
        abort(404)
    if not can_self_evaluate(award, proposal, current_user):
        abort(403)
    current = self_evaluation_of(s, award.id)
    form = SelfEvaluationForm(obj=current)
    if form.validate_on_submit():
        done = edge.run(
            lambda: record_self_evaluation(
                db.session(),
                actor=current_user,
                award_id=award.id,
                rating=form.rating.data,
                evidence=form.evidence.data or "",
                host=form.host.data or "",
            ),
            form=form,
            success=_("The self-evaluation was recorded."),
        )
        if done:
            return redirect(url_for("projects.detail", award_id=award.id))
    return render_template(
        "council_minutes/self_evaluation.html", award=award, proposal=proposal, form=form
    )


@bp.route("/items/<int:item_id>/stop", methods=["GET", "POST"])
@requires(can_make_council_decisions)
@reauth_required
def stop(item_id: int):
    """Stop a project on its mid-term council's "stop": it closes under its regime."""
    s = db.session()
    try:
        found = item_access(s, actor=current_user, item_id=item_id)
    except NotFound:
        abort(404)
    if not can_decide_on_council(found.council, current_user, manages=found.manages):
        abort(403)
    form = StopForm()
    if form.validate_on_submit():
        done = edge.run(
            lambda: stop_from_council(
                db.session(),
                actor=current_user,
                item_id=item_id,
                used_vnd=form.used_vnd.data or 0,
                evaluation=form.stop_evaluation(),
                risk_category=form.risk_category.data or "",
                expert_opinion=form.expert_opinion.data or "",
                lessons_learned=form.lessons_learned.data or "",
                publish_negative_results=form.publish_negative_results.data,
            ),
            form=form,
            success=_("The project was stopped and closed under its regime."),
        )
        if done:
            return redirect(url_for("projects.detail", award_id=found.item.award_id))
    return render_template(
        "council_minutes/stop.html",
        item=found.item,
        council=found.council,
        meeting=found.meeting,
        minutes=mq.signed_minutes(s, found.meeting.id),
        form=form,
        label=label,
    )
