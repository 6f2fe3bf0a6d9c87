"""Who may vote on an item and who closes its vote. Predicates take the user explicitly."""

from funds.accounts.models import User
from reviews.councils.meetings.models import ItemStatus, MeetingStatus
from reviews.councils.models import CouncilRole
from reviews.councils.permissions import is_member
from reviews.councils.sheets.permissions import takes_part
from reviews.councils.sheets.queries import ItemContext

CLOSERS = frozenset({CouncilRole.SECRETARY, CouncilRole.CHAIR})


def is_voting(ctx: ItemContext) -> bool:
    return ctx.meeting.status == MeetingStatus.OPEN and ctx.item.status == ItemStatus.VOTING


def can_vote(ctx: ItemContext, user: User, *, has_voted: bool) -> bool:
    """Once, while the item is voting, as a member present and not conflicted."""
    return is_voting(ctx) and takes_part(ctx, user) and not has_voted


def can_close_vote(ctx: ItemContext, user: User) -> bool:
    """The scientific secretary or the chair closes the vote and records the conclusion."""
    return (
        is_voting(ctx)
        and is_member(ctx.seat, user)
        and ctx.seat is not None
        and ctx.seat.role in CLOSERS
    )


def can_see_result(ctx: ItemContext, user: User) -> bool:
    """The count and the conclusion, once the item is concluded: its members and managers."""
    return ctx.item.status == ItemStatus.CONCLUDED and (ctx.manages or is_member(ctx.seat, user))
