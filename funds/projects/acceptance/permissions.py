"""Who records the host organisation's self-evaluation."""

from funds.accounts.models import User
from funds.projects.models import Award, AwardStatus
from funds.projects.permissions import can_report
from funds.projects.rules import AWARD
from funds.proposals.models import Proposal


def can_self_evaluate(award: Award, proposal: Proposal, user: User) -> bool:
    """The PI, on the host organisation's behalf until hosts have accounts, while the project
    is not closed."""
    return can_report(proposal, user) and AWARD.can_move(award.status, AwardStatus.CLOSED)
