"""Who sees a proposal's timeline: whoever may see the proposal (its PI, the managers of its
fund once submitted, the officers of its host)."""

from funds.accounts.models import User
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_view_proposal


def can_view_timeline(proposal: Proposal, user: User) -> bool:
    return can_view_proposal(proposal, user)
