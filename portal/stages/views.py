"""Two-stage calls (docs/two-stage.md): the PI of a shortlisted pre-proposal starts the full
proposal, filled in from the outline, and goes on editing it."""

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from funds.clock import utcnow
from funds.errors import NotFound
from funds.proposals.services import get_proposal_for
from funds.stages import queries
from funds.stages.permissions import can_start_full_proposal
from funds.stages.rules import full_proposal_refusal
from funds.stages.services import start_full_proposal
from portal import db, edge
from portal.proposals.forms import ActionForm

bp = Blueprint("stages", __name__)


def stage_context(proposal) -> dict:
    """What the proposal's page shows of its stage: which, its deadline, the linked proposal,
    and whether (else why not) the PI may start the full proposal now."""
    s = db.session()
    view = queries.stage_view(s, proposal)
    if view is None:
        return {"stage": None}
    facts = queries.outline_facts(s, proposal) if proposal.stage == "outline" else None
    now = utcnow()
    mine = proposal.pi_id == current_user.id
    return {
        "stage": view,
        "can_start_full": bool(
            facts and can_start_full_proposal(proposal, facts, current_user, now)
        ),
        "full_refusal": (
            full_proposal_refusal(facts, now) if facts and facts.shortlisted and mine else None
        ),
        "full_closes_at": facts.full_closes_at if facts else None,
        "stage_form": ActionForm(),
    }


@bp.post("/proposals/<int:proposal_id>/full")
@login_required
def start_full(proposal_id: int):
    """Start (or open, if already started) the full proposal of a shortlisted pre-proposal."""
    try:
        outline = get_proposal_for(db.session(), proposal_id=proposal_id, actor=current_user)
    except NotFound:
        abort(404)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    done = edge.run(
        lambda: start_full_proposal(db.session(), actor=current_user, outline_id=outline.id),
        success=_("The full proposal is started from your outline: complete it and submit it."),
    )
    if not done:
        return redirect(url_for("proposals.detail", proposal_id=outline.id))
    return redirect(url_for("proposals.edit", proposal_id=done.value.id))
