"""Who may do what with decision letters: the fund's managers write its template and issue
the letters of its calls; the applicant reads a letter once it is issued."""

from funds.accounts.models import User
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from funds.proposals.models import Proposal
from funds.proposals.permissions import can_view_proposal


def can_issue_letters(user: User, fund: Fund) -> bool:
    return manages_fund(user, fund)


def can_read_letter(user: User, proposal: Proposal, *, issued: bool) -> bool:
    """The fund's managers at any time (a draft before it is issued); the PI and the host's
    officers once it is issued."""
    if manages_fund(user, proposal.call.fund):
        return True
    return issued and can_view_proposal(proposal, user)
