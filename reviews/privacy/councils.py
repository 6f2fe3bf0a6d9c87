"""The councils' part of personal-data rights. A member's export holds their seats, their
attendance, their rating sheets and the conflicts they declared; how they voted is not
exportable because a secret ballot is not stored (docs/councils.md). On erasure every
council record is kept: a council's composition, attendance, sheets, minutes and decisions
are the legal record of a selection or acceptance funded from the state budget, and they
name the member by account number only, the account itself being pseudonymised."""

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.errors import N_
from funds.privacy.queries import row
from funds.privacy.registry import DataPart, Record, register_part
from reviews.councils.meetings.models import Attendance, ItemConflict, RatingSheet
from reviews.councils.models import Council, CouncilSeat

TABLES = (
    "council",
    "council_rules",
    "council_seat",
    "meeting",
    "attendance",
    "minutes",
    "minutes_signature",
    "council_decision",
)


def _seats(session: Session, user_id: int) -> list[tuple[CouncilSeat, Council]]:
    return list(
        session.exec(
            select(CouncilSeat, Council)
            .join(Council, col(Council.id) == CouncilSeat.council_id)
            .where(CouncilSeat.user_id == user_id)
            .order_by(col(CouncilSeat.id))
        ).all()
    )


def export(session: Session, user: User) -> dict:
    """The member's seats, attendance, rating sheets and declared conflicts."""
    seats = _seats(session, user.id)
    ids = [seat.id for seat, _c in seats]
    return {
        "council_seats": [
            row(seat, ("role", "represents", "term_start", "term_end", "active", "appointed_at"))
            | {"council": council.name, "kind": council.kind}
            for seat, council in seats
        ],
        "council_attendance": [
            row(a, ("meeting_id", "present", "how", "recorded_at"))
            for a in session.exec(select(Attendance).where(col(Attendance.seat_id).in_(ids)))
        ],
        "council_rating_sheets": [
            row(s, ("item_id", "scores", "indicator_checks", "opinion", "status", "submitted_at"))
            for s in session.exec(select(RatingSheet).where(col(RatingSheet.seat_id).in_(ids)))
        ],
        "council_conflicts": [
            row(c, ("item_id", "source", "reason", "recorded_at"))
            for c in session.exec(select(ItemConflict).where(col(ItemConflict.seat_id).in_(ids)))
        ],
    }


def kept(session: Session, user: User) -> list[Record]:
    seats = _seats(session, user.id)
    if not seats:
        return []
    return [
        Record(
            "submitted",
            N_("Council seats, attendance, rating sheets and conflicts (the council's record)"),
            str(len(seats)),
        )
    ]


register_part(DataPart(name="councils", order=12, export=export, kept=kept, tables=TABLES))
