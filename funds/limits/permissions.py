"""Who sets a fund's limits."""

from funds.accounts.models import User
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund


def can_set_fund_limits(fund: Fund, user: User) -> bool:
    """The fund's own managers: the limits are the fund's policy."""
    return manages_fund(user, fund)
