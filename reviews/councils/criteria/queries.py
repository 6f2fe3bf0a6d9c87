"""Read models of a fund's sheet criteria: its own rows, else the built-in defaults."""

from sqlmodel import Session, col, select

from reviews.councils.criteria.rules import DEFAULTS, SheetCriterion
from reviews.councils.meetings.models import Meeting, MeetingItem, RatingSheet
from reviews.councils.models import Council, CouncilCriterion


def stored_criteria(session: Session, fund_id: int, kind: str) -> list[CouncilCriterion]:
    """The fund's own criteria of this kind, in their order (none: the defaults apply)."""
    return list(
        session.exec(
            select(CouncilCriterion)
            .where(CouncilCriterion.fund_id == fund_id, CouncilCriterion.kind == kind)
            .order_by(col(CouncilCriterion.position), col(CouncilCriterion.id))
        ).all()
    )


def fund_criteria(session: Session, fund_id: int, kind: str) -> list[SheetCriterion]:
    """The criteria new acceptance or mid-term sheets of the fund are scored on."""
    rows = stored_criteria(session, fund_id, kind)
    if not rows:
        return list(DEFAULTS[kind])
    return [
        SheetCriterion(r.id, r.name, r.description, r.weight, r.scale_max, r.threshold)
        for r in rows
    ]


def unfixed_rated_items(session: Session, fund_id: int, kind: str) -> list[MeetingItem]:
    """Items of the fund's councils of this kind that have a sheet but no criteria kept
    (sheets saved before items kept them): fixed before the fund's criteria change."""
    rated = select(RatingSheet.item_id)
    return list(
        session.exec(
            select(MeetingItem)
            .join(Meeting, col(Meeting.id) == MeetingItem.meeting_id)
            .join(Council, col(Council.id) == Meeting.council_id)
            .where(
                Council.fund_id == fund_id,
                Council.kind == kind,
                MeetingItem.sheet_criteria == "",
                col(MeetingItem.id).in_(rated),
            )
        ).all()
    )
