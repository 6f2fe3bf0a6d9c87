"""Review management pages: one call's rubric, assignment, ranking and decisions."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from funds.calls import queries as calls_queries
from funds.calls.models import Call
from funds.calls.services import get_call_for_manager
from funds.clock import utcnow
from funds.errors import NotFound
from funds.proposals.services import get_proposal_for_manager
from portal import db, edge
from portal.jobs.runners import ASSIGNMENT
from portal.jobs.runners import start as start_job
from portal.lottery.views import lottery_args
from portal.mfa.reauth import reauth_required
from portal.rebuttal.views import response_args
from portal.review_admin.forms import (
    AssignRunForm,
    ConsensusForm,
    CriterionForm,
    InviteForm,
    ReasonForm,
    RubricSettingsForm,
    anchors_form,
)
from portal.review_admin.invitations import queue_invitation
from portal.security import requires
from reviews.assignment.rules import (
    PAIR_ACTION_LABELS,
    REVIEWERS_PER_PROPOSAL,
    PairAction,
    needs_reason,
    pair_action,
)
from reviews.assignment.services import set_pair_constraint
from reviews.consolidation.lottery.services import apply_line_with_lottery
from reviews.consolidation.services import (
    call_ranking,
    consensus_for,
    funded_ids,
    override_funding,
    save_consensus,
)
from reviews.invitations.models import Invitation
from reviews.invitations.services import invite_expert
from reviews.overview import queries as overview_queries
from reviews.pool import queries as pool_queries
from reviews.reviewing import queries
from reviews.reviewing.permissions import can_manage_reviews
from reviews.reviewing.services import override_conflict
from reviews.rubric.services import (
    add_criterion,
    anchors_of,
    create_default_rubric,
    criteria_of,
    reopen_review,
    rubric_for_call,
    set_anchors,
    update_rubric,
)

bp = Blueprint("review_admin", __name__, url_prefix="/review-management")


def _call(call_id: int) -> Call:
    """The call if the user manages its fund, else 404 (other funds' calls stay unseen)."""
    try:
        return get_call_for_manager(db.session(), call_id=call_id, actor=current_user)
    except NotFound:
        abort(404)


def _back(call_id: int):
    return redirect(url_for("review_admin.call", call_id=call_id))


@bp.get("/")
@requires(can_manage_reviews)
def calls():
    """The calls of the funds this manager manages, each linking to its review management."""
    s = db.session()
    return render_template(
        "review_admin/calls.html",
        funds=calls_queries.funds_with_calls(
            s, fund_ids=calls_queries.managed_fund_ids(s, current_user)
        ),
    )


@bp.get("/calls/<int:call_id>")
@requires(can_manage_reviews)
def call(call_id: int):
    """The call's rubric, assignments and ranking with the funding line."""
    s = db.session()
    call = _call(call_id)
    rubric = rubric_for_call(s, call.id)
    ranking = call_ranking(s, call.id)
    criteria = criteria_of(s, rubric) if rubric else []
    anchors = anchors_of(s, criteria)
    return render_template(
        "review_admin/call.html",
        call=call,
        rubric=rubric,
        criteria=criteria,
        anchor_forms={c.id: anchors_form(c, anchors[c.id]) for c in criteria},
        settings=RubricSettingsForm(obj=rubric) if rubric else None,
        criterion_form=CriterionForm(formdata=None),
        run_form=AssignRunForm(formdata=None),
        reason_form=ReasonForm(formdata=None),
        assignments=queries.call_assignments(s, call.id, actor=current_user),
        pair_actions=[(int(action), _(label)) for action, label in PAIR_ACTION_LABELS.items()],
        ranking=ranking,
        funded_ids=funded_ids(ranking),
        titles=queries.call_titles(s, call.id),
        outstanding=overview_queries.outstanding_reviewers(
            s, actor=current_user, call_id=call.id, now=utcnow()
        ),
        **response_args(s, call),
        **lottery_args(s, call),
    )


@bp.post("/calls/<int:call_id>/rubric")
@requires(can_manage_reviews)
def rubric(call_id: int):
    """Create the default rubric, or change its settings."""
    call, s = _call(call_id), db.session()
    existing = rubric_for_call(s, call.id)
    if existing is None:
        edge.run(
            lambda: create_default_rubric(s, actor=current_user, call_id=call.id),
            success=_("Saved."),
        )
        return _back(call.id)
    form = RubricSettingsForm()
    if not form.validate_on_submit():
        flash(_("Check the rubric settings."), "error")
        return _back(call.id)
    edge.run(
        lambda: update_rubric(
            s,
            actor=current_user,
            rubric_id=existing.id,
            total_threshold=form.total_threshold.data,
            show_others_after_submit=form.show_others_after_submit.data,
            per_proposal=form.per_proposal.data,
            blind=form.blind.data,
        ),
        success=_("Saved."),
    )
    return _back(call.id)


@bp.post("/calls/<int:call_id>/criteria")
@requires(can_manage_reviews)
def criterion(call_id: int):
    call, s = _call(call_id), db.session()
    existing = rubric_for_call(s, call.id) or abort(404)
    form = CriterionForm()
    if not form.validate_on_submit():
        flash(_("Check the criterion."), "error")
        return _back(call.id)
    edge.run(
        lambda: add_criterion(
            s,
            actor=current_user,
            rubric_id=existing.id,
            name=form.name.data,
            description=form.description.data or "",
            weight=form.weight.data,
            scale_max=form.scale_max.data,
            threshold=form.threshold.data,
        ),
        success=_("Saved."),
    )
    return _back(call.id)


@bp.post("/calls/<int:call_id>/criteria/<int:criterion_id>/anchors")
@requires(can_manage_reviews)
def anchors(call_id: int, criterion_id: int):
    """Describe what each level of a criterion's scale means."""
    call, s = _call(call_id), db.session()
    rubric = rubric_for_call(s, call.id) or abort(404)
    criterion = next((c for c in criteria_of(s, rubric) if c.id == criterion_id), None)
    if criterion is None:
        abort(404)
    form = anchors_form(criterion, {}, formdata=request.form)
    if not form.validate_on_submit():
        flash(_("A level's description has at most %(n)s characters.", n=1000), "error")
        return _back(call.id)
    texts = {level: form[f"level_{level}"].data or "" for level in range(criterion.scale_max + 1)}
    edge.run(
        lambda: set_anchors(s, actor=current_user, criterion_id=criterion.id, texts=texts),
        success=_("Saved."),
    )
    return _back(call.id)


@bp.post("/calls/<int:call_id>/assignment")
@requires(can_manage_reviews)
def run_assignment(call_id: int):
    """Start a job that computes affinities and solves the assignment exactly (keeping live
    assignments); its page shows the progress and the result."""
    call, s = _call(call_id), db.session()
    form = AssignRunForm()
    if not form.validate_on_submit():
        flash(_("Check the fairness tolerance."), "error")
        return _back(call.id)
    rubric = rubric_for_call(s, call.id)
    tolerance = float(form.fairness.data) / 100 if form.fairness.data is not None else None

    params = {
        "call_id": call.id,
        "per_proposal": rubric.per_proposal if rubric else REVIEWERS_PER_PROPOSAL,
        "fairness": tolerance,
    }
    done = edge.run(
        lambda: start_job(
            s, actor=current_user, kind=ASSIGNMENT, params=params, fund_id=call.fund_id
        )
    )
    if not done:
        return _back(call.id)
    return redirect(url_for("jobs.show", job_id=done.value.id))


@bp.post("/calls/<int:call_id>/pairs/<int:proposal_id>/<int:reviewer_id>")
@requires(can_manage_reviews)
def pair(call_id: int, proposal_id: int, reviewer_id: int):
    """Pin (+1), forbid (-1), release (0) a pair, or clear a conflict (with a reason)."""
    call, s = _call(call_id), db.session()
    form = ReasonForm()
    action = pair_action(request.form.get("value", type=int))
    if action is None or (needs_reason(action) and not form.validate_on_submit()):
        flash(_("An override needs a reason."), "error")
        return _back(call.id)
    if action == PairAction.CLEAR_CONFLICT:
        edge.run(
            lambda: override_conflict(
                s,
                actor=current_user,
                proposal_id=proposal_id,
                reviewer_id=reviewer_id,
                reason=form.reason.data,
            ),
            success=_("Saved."),
        )
    else:
        edge.run(
            lambda: set_pair_constraint(
                s,
                actor=current_user,
                proposal_id=proposal_id,
                reviewer_id=reviewer_id,
                value=action,
                reason=request.form.get("reason", "")[:2000],
            ),
            success=_("Saved."),
        )
    return _back(call.id)


@bp.post("/calls/<int:call_id>/reopen/<int:assignment_id>")
@requires(can_manage_reviews)
def reopen(call_id: int, assignment_id: int):
    _call(call_id)  # the CSRF token is checked for every POST by CSRFProtect
    edge.run(
        lambda: reopen_review(db.session(), actor=current_user, assignment_id=assignment_id),
        success=_("Saved."),
    )
    return _back(call_id)


@bp.post("/calls/<int:call_id>/override/<int:proposal_id>")
@requires(can_manage_reviews)
@reauth_required
def override(call_id: int, proposal_id: int):
    """Move a proposal across the funding line, with a logged reason."""
    _call(call_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("An override needs a reason."), "error")
        return _back(call_id)
    include = request.form.get("include") == "1"
    edge.run(
        lambda: override_funding(
            db.session(),
            actor=current_user,
            proposal_id=proposal_id,
            include=include,
            reason=form.reason.data,
        ),
        success=_("Saved."),
    )
    return _back(call_id)


@bp.post("/calls/<int:call_id>/decisions")
@requires(can_manage_reviews)
@reauth_required
def decide(call_id: int):
    """Record funded / not funded for every submitted proposal along the funding line."""
    _call(call_id)
    edge.run(
        lambda: apply_line_with_lottery(db.session(), actor=current_user, call_id=call_id),
        success=_("Decisions recorded."),
    )
    return _back(call_id)


@bp.route("/proposals/<int:proposal_id>/consensus", methods=["GET", "POST"])
@requires(can_manage_reviews)
def consensus(proposal_id: int):
    """Write and approve the consensus report, with the reviews beside it."""
    s = db.session()
    try:
        proposal = get_proposal_for_manager(s, proposal_id=proposal_id, actor=current_user)
    except NotFound:
        abort(404)
    report = consensus_for(s, proposal.id)
    form = ConsensusForm(obj=report if request.method == "GET" else None)
    if form.validate_on_submit() and edge.run(
        lambda: save_consensus(
            s,
            actor=current_user,
            proposal_id=proposal.id,
            text=form.text.data,
            approve=form.approve.data,
        ),
        form=form,
        success=_("Saved."),
    ):
        return redirect(url_for("review_admin.call", call_id=proposal.call_id))
    rows = queries.reviews_for_manager(s, proposal.id)
    return render_template(
        "review_admin/consensus.html",
        proposal=proposal,
        form=form,
        report=report,
        reviews=rows,
        lines=queries.criterion_lines(s, [r.id for _a, _u, r in rows if r is not None]),
    )


def _invite(form: InviteForm):
    """The invitation; its e-mail leaves once the transaction has committed."""
    sent = invite_expert(
        db.session(), actor=current_user, email=form.email.data, name=form.name.data
    )
    queue_invitation(sent)
    return sent


@bp.get("/reviewers")
@requires(can_manage_reviews)
def reviewers():
    """The reviewer pool, searched by name, institution or keywords (accents optional)."""
    q = request.args.get("q", "")[:200]
    return render_template(
        "review_admin/reviewers.html", rows=pool_queries.pool_rows(db.session(), q), q=q
    )


@bp.route("/invitations", methods=["GET", "POST"])
@requires(can_manage_reviews)
def invitations():
    """Invite external experts by e-mail link."""
    s = db.session()
    form = InviteForm()
    if form.validate_on_submit():
        done = edge.run(lambda: _invite(form), form=form)
        if done:
            flash(_("Invitation sent to %(email)s.", email=done.value.invitation.email), "success")
            return redirect(url_for("review_admin.invitations"))
    rows = s.exec(select(Invitation).order_by(Invitation.id.desc())).all()
    return render_template("review_admin/invitations.html", form=form, rows=rows)
