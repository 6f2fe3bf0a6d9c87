"""Who reads the reviews and answers, who opens the window, who reads the answer."""

from funds.accounts.models import User
from funds.calls.models import Call
from funds.proposals.models import Proposal


def call_allows_response(call: Call) -> bool:
    """The call gives applicants a response period (funds.calls.rules.REBUTTAL_DAYS)."""
    return call.rebuttal_days > 0


def can_respond(proposal: Proposal, user: User) -> bool:
    """The principal investigator answers for the proposal (the window is checked apart)."""
    return user.is_authenticated and user.is_active and proposal.pi_id == user.id


def can_open_responses(call: Call, user: User, *, manages: bool) -> bool:
    """A manager of the call's fund opens the response period of a call that has one."""
    return manages and call_allows_response(call)
