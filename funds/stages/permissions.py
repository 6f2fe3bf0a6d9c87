"""Who may start a full proposal: the principal investigator of a shortlisted pre-proposal,
once invited and before the full proposals' deadline (funds.stages.rules)."""

from datetime import datetime

from funds.accounts.models import User
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_apply, is_pi
from funds.stages.rules import OutlineFacts, full_proposal_refusal


def can_start_full_proposal(
    outline: Proposal, facts: OutlineFacts, user: User, now: datetime
) -> bool:
    return is_pi(outline, user) and can_apply(user) and full_proposal_refusal(facts, now) is None
