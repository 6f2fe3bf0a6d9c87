"""Who decides on a council's recommendations: the managers of the council's fund."""

from funds.accounts.models import User
from funds.accounts.permissions import is_manager
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
