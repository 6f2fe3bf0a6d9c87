"""Who sees the overview: fund managers, each of the funds they manage only (the queries take
the funds from funds.calls.queries.managed_fund_ids)."""

from funds.accounts.models import User
from funds.accounts.permissions import is_manager


def can_see_overview(user: User) -> bool:
    return is_manager(user)
