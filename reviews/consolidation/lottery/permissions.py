"""Who sees and runs a call's lottery."""

from funds.accounts.models import User
from funds.calls.models import Call


def lottery_enabled(call: Call) -> bool:
    """The call chose partial randomisation (funds.calls.rules.LOTTERY_AT_LINE)."""
    return bool(call.lottery_at_line)


def can_run_lottery(call: Call, user: User, *, manages: bool) -> bool:
    """A manager of the call's fund commits and draws, on a call that chose the lottery."""
    return manages and lottery_enabled(call) and user.is_active


def can_see_seed(drawn: bool) -> bool:
    """The seed is revealed only after the draw; the commitment is public from the start."""
    return drawn
