"""Who decides on a council's recommendations: the managers of the council's fund."""

from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.projects.models import Award
from funds.projects.permissions import can_manage_project
from funds.projects.rules import is_running
from funds.proposals.models import Proposal
from reviews.councils.meetings.models import MeetingItem, Recommendation
from reviews.councils.models import Council, CouncilKind


def can_decide_on_council(council: Council, user: User, *, manages: bool) -> bool:
    """The fund decides, citing the council: its managers (the council only advises)."""
    return manages and is_manager(user) and council.kind in set(CouncilKind)


def can_decide_selection(council: Council, user: User, *, manages: bool) -> bool:
    """The selection decision on a selection council's (or standing committee's) meeting."""
    return can_decide_on_council(council, user, manages=manages) and council.kind in (
        CouncilKind.SELECTION,
        CouncilKind.STANDING,
    )


def can_make_council_decisions(user: User) -> bool:
    """The decision pages: fund managers; which council is can_decide_on_council's question."""
    return user.is_active and is_manager(user)


def stoppable(award: Award, proposal: Proposal, item: MeetingItem, user: User) -> bool:
    """A running project whose mid-term council concluded "stop", for its fund's managers."""
    return (
        item.conclusion == Recommendation.STOP
        and is_running(award.status)
        and can_manage_project(proposal, user)
    )
