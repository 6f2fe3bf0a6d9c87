"""The overlap part of a proposal's page, for the managers who may see its pairs."""

from flask_login import current_user

from funds.proposals.permissions import can_manage_proposal
from portal import db
from portal.overlap.forms import ActionForm
from reviews.overlap import queries
from reviews.overlap.permissions import can_decide_flag


def overlap_context(proposal) -> dict:
    """The pairs the proposal takes part in (managers of its fund only)."""
    if not can_manage_proposal(proposal, current_user):
        return {"overlaps": None}
    return {
        "overlaps": queries.flags_for_proposal(db.session(), proposal.id, current_user),
        "can_rescreen": can_decide_flag(proposal, current_user),
        "overlap_form": ActionForm(),
        "overlap_kinds": queries.KIND_LABELS,
    }
