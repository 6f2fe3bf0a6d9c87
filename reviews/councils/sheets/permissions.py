"""Who may fill, read and summarise rating sheets. Predicates take the user explicitly.

A sheet is filled by a member present at the meeting and not conflicted on the item, while
the item is deliberated or voted on, until it is submitted (then read-only). The members see
each other's sheets only once the item is concluded, and only when the fund's rule
sheets_after_close says so; the scientific secretary and the fund's managers see the summary.
"""

from funds.accounts.models import User
from reviews.councils.meetings.models import ItemStatus, MeetingStatus, RatingSheet, SheetStatus
from reviews.councils.models import CouncilRole
from reviews.councils.permissions import is_member
from reviews.councils.sheets.queries import ItemContext

WORKING = frozenset({ItemStatus.DELIBERATING, ItemStatus.VOTING})


def can_open_council_work(user: User) -> bool:
    """The members' council pages: any active account (the domain then shows each person
    only the councils where they hold a seat)."""
    return bool(user.is_active)


def takes_part(ctx: ItemContext, user: User) -> bool:
    """A member present at the meeting and not conflicted on the item."""
    return is_member(ctx.seat, user) and ctx.seat is not None and ctx.seat.id in ctx.voter_ids


def is_item_working(ctx: ItemContext) -> bool:
    return ctx.meeting.status == MeetingStatus.OPEN and ctx.item.status in WORKING


def can_fill_sheet(ctx: ItemContext, sheet: RatingSheet | None, user: User) -> bool:
    """Save or submit one's own sheet: taking part, the item under way, not yet submitted."""
    return (
        takes_part(ctx, user)
        and is_item_working(ctx)
        and (sheet is None or sheet.status == SheetStatus.DRAFT)
    )


def can_see_summary(ctx: ItemContext, user: User) -> bool:
    """The table of every member's sheet: the scientific secretary and the fund's managers."""
    secretary = is_member(ctx.seat, user) and ctx.seat is not None
    return ctx.manages or (secretary and ctx.seat.role == CouncilRole.SECRETARY)  # type: ignore[union-attr]


def can_see_others(ctx: ItemContext, user: User) -> bool:
    """A member sees the other members' sheets once the item is concluded, if the fund's
    rule sheets_after_close says so (otherwise never: the summary is the secretary's)."""
    return (
        is_member(ctx.seat, user)
        and ctx.spec.sheets_after_close
        and ctx.item.status == ItemStatus.CONCLUDED
    )


def sits_on_councils(user: User) -> bool:
    """The "My councils" link: reviewers (the pool councils are drawn from) and managers;
    the page itself lists only the user's own seats."""
    from funds.accounts.permissions import is_manager
    from reviews.pool.permissions import is_reviewer

    return is_reviewer(user) or is_manager(user)
