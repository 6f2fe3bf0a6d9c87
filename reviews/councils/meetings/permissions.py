"""Who runs a council meeting and which of its steps are open now. Predicates take the user
(or what the service already knows of them) explicitly and return bool."""

from funds.accounts.models import User
from reviews.councils.meetings.models import ItemStatus, Meeting, MeetingItem, MeetingStatus
from reviews.councils.models import Council, CouncilRole, CouncilSeat, CouncilStatus
from reviews.councils.permissions import is_member
from reviews.councils.rules import ITEM, MEETING, Quorum


def can_run_meeting(manages: bool, seat: CouncilSeat | None, user: User) -> bool:
    """The council's scientific secretary and the managers of its fund take attendance, set
    the agenda and move the meeting along."""
    return manages or (
        is_member(seat, user) and seat is not None and seat.role == CouncilRole.SECRETARY
    )


def is_in_session(meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.OPEN


def can_take_attendance(meeting: Meeting, running: bool) -> bool:
    """Before the meeting and during it; never once it is closed or cancelled."""
    return running and not MEETING.is_final(meeting.status)


def can_change_agenda(meeting: Meeting, running: bool) -> bool:
    return running and not MEETING.is_final(meeting.status)


def can_remove_item(item: MeetingItem, meeting: Meeting, running: bool) -> bool:
    """An item not yet taken up leaves the agenda."""
    return can_change_agenda(meeting, running) and item.status == ItemStatus.PENDING


def can_open_meeting(meeting: Meeting, council: Council, running: bool) -> bool:
    """A scheduled meeting of an active council."""
    return (
        running
        and MEETING.can_move(meeting.status, MeetingStatus.OPEN)
        and council.status == CouncilStatus.ACTIVE
    )


def can_start_item(
    item: MeetingItem, meeting: Meeting, running: bool, quorum: Quorum, busy: bool
) -> bool:
    """An item waits, the meeting is in session, no other item is under way, and the members
    present (less those conflicted on the item) make the quorum."""
    return (
        running
        and is_in_session(meeting)
        and ITEM.can_move(item.status, ItemStatus.DELIBERATING)
        and quorum.ok
        and not busy
    )


def can_open_voting(item: MeetingItem, meeting: Meeting, running: bool, quorum: Quorum) -> bool:
    return (
        running
        and is_in_session(meeting)
        and ITEM.can_move(item.status, ItemStatus.VOTING)
        and quorum.ok
    )


def can_close_meeting(meeting: Meeting, running: bool, busy: bool) -> bool:
    """Not while an item is being deliberated or voted on."""
    return running and MEETING.can_move(meeting.status, MeetingStatus.CLOSED) and not busy


def can_cancel_meeting(meeting: Meeting, running: bool) -> bool:
    return running and MEETING.can_move(meeting.status, MeetingStatus.CANCELLED)


def conflicts_still_open(item: MeetingItem) -> bool:
    """Conflicts are declared or recorded before the vote opens, never during or after it."""
    return item.status in (ItemStatus.PENDING, ItemStatus.DELIBERATING)


def can_declare_conflict(item: MeetingItem, seat: CouncilSeat | None, user: User) -> bool:
    """A member declares their own conflict on an item of their council."""
    return is_member(seat, user) and conflicts_still_open(item)
