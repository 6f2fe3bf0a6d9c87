"""Who makes, signs and reads a meeting's minutes. Predicates take the user explicitly."""

from funds.accounts.models import User
from reviews.councils.meetings.models import Meeting, MeetingStatus
from reviews.councils.models import CouncilSeat
from reviews.councils.permissions import is_member

SIGNERS = ("chair", "secretary")  # the seats whose sign-off the minutes need


def meeting_closed(meeting: Meeting) -> bool:
    """Minutes are made from the record of a meeting that has closed."""
    return meeting.status == MeetingStatus.CLOSED


def can_generate_minutes(
    meeting: Meeting, seat: CouncilSeat | None, user: User, *, manages: bool
) -> bool:
    """The fund's managers and the council's chair and secretary, once the meeting closed."""
    signer = is_member(seat, user) and seat is not None and seat.role in SIGNERS
    return meeting_closed(meeting) and (manages or signer)


def can_sign_minutes(
    seat: CouncilSeat | None, user: User, *, latest: bool, signed_roles: set[str]
) -> bool:
    """The chair or the secretary (by their seat) signs the latest version once each."""
    return (
        is_member(seat, user)
        and seat is not None
        and seat.role in SIGNERS
        and latest
        and seat.role not in signed_roles
    )


def can_open_minutes(user: User) -> bool:
    """The minutes pages: any active account; which meeting is meeting_access's question (the
    fund's managers and the council's members, NotFound to anyone else)."""
    return user.is_active
