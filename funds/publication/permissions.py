"""Who may change what the public sees: a fund's managers choose its published fields and
hold its API tokens; administrators see and revoke every token. Reading the public pages needs
no predicate: their queries select only public rows and fields (funds.publication.queries)."""

from funds.accounts.models import User
from funds.accounts.permissions import can_administer
from funds.calls.models import Fund
from funds.calls.permissions import manages_fund
from funds.publication.models import ApiToken


def can_set_publication(user: User, fund: Fund) -> bool:
    return manages_fund(user, fund)


def can_manage_tokens(user: User) -> bool:
    """The tokens page: fund managers (for their funds) and administrators (to revoke)."""
    from funds.accounts.permissions import is_manager

    return is_manager(user) or can_administer(user)


def can_create_token(user: User, fund: Fund) -> bool:
    return manages_fund(user, fund)


def can_revoke_token(user: User, token: ApiToken) -> bool:
    return token.owner_id == user.id or can_administer(user)


def token_may_act(owner: User, fund: Fund) -> bool:
    """A token acts only while its owner still manages its fund (a manager who leaves the fund
    or loses the role takes the token's power with them)."""
    return manages_fund(owner, fund)
