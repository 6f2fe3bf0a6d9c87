"""Meeting use cases: scheduling, the agenda, attendance, members' conflicts per item, and
moving the meeting along — an item is deliberated and voted on only with its quorum, so a
meeting without quorum concludes nothing (docs/councils.md)."""

from datetime import datetime

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Call
from funds.clock import to_utc, utcnow
from funds.errors import N_, InvalidTransition, NotAllowed, NotFound, RuleViolation
from funds.notifications.services import notify
from funds.projects.models import Award
from funds.proposals.models import Proposal, ProposalStatus
from funds.rules import Violation
from reviews.councils.errors import CompositionIncomplete, NoQuorum
from reviews.councils.meetings.models import (
    Attendance,
    ItemConflict,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingMode,
    MeetingStatus,
)
from reviews.councils.meetings.permissions import (
    can_change_agenda,
    can_run_meeting,
    can_take_attendance,
    conflicts_still_open,
    is_in_session,
)
from reviews.councils.meetings.queries import (
    ItemAccess,
    MeetingAccess,
    agenda,
    conflicts_of,
    item_access,
    item_quorum,
    item_under_way,
    meeting_access,
)
from reviews.councils.models import Council, CouncilKind, CouncilSeat, CouncilStatus
from reviews.councils.permissions import is_member
from reviews.councils.queries import active_seats
from reviews.councils.rules import COUNCIL, ITEM, MEETING
from reviews.councils.services import composition, managed_council
from reviews.pool.services import conflicted_pairs

AUTOMATIC, DECLARED = "automatic", "declared"


def _refused(field: str, message: str, **params) -> RuleViolation:
    return RuleViolation(message, [Violation(field, message, params)], **params)


def _running(session: Session, *, actor: User, meeting_id: int) -> MeetingAccess:
    """The meeting if the actor is its council's secretary or a manager of its fund;
    NotFound to outsiders, NotAllowed to the other members."""
    found = meeting_access(session, actor=actor, meeting_id=meeting_id)
    if not can_run_meeting(found.manages, found.seat, actor):
        raise NotAllowed(N_("Only the council's secretary or the fund's managers do this."))
    return found


def _item_running(session: Session, *, actor: User, item_id: int) -> ItemAccess:
    found = item_access(session, actor=actor, item_id=item_id)
    if not can_run_meeting(found.manages, found.seat, actor):
        raise NotAllowed(N_("Only the council's secretary or the fund's managers do this."))
    return found


def _audit(session, actor, kind, obj_id, action, before=None, after=None, detail=""):
    audit.record(
        session,
        actor_id=actor.id,
        object_type=kind,
        object_id=obj_id,
        action=action,
        from_state=before,
        to_state=after,
        detail=detail,
    )


def schedule_meeting(
    session: Session,
    *,
    actor: User,
    council_id: int,
    starts_at: datetime,
    mode: str,
    place: str = "",
    link: str = "",
) -> Meeting:
    """A manager of the fund (or the council's secretary) schedules a meeting: in person (a
    place), online (a link) or mixed (both)."""
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound(N_("No such council."))
    from reviews.councils.queries import seat_of

    try:
        managed_council(session, council_id=council_id, actor=actor)
        manages = True
    except NotFound:
        manages = False
    seat = seat_of(session, council.id, actor.id)
    if not (manages or is_member(seat, actor)):
        raise NotFound(N_("No such council."))
    if not can_run_meeting(manages, seat, actor):
        raise NotAllowed(N_("Only the council's secretary or the fund's managers do this."))
    if not COUNCIL.can_move(council.status, CouncilStatus.DISSOLVED):
        raise InvalidTransition(N_("A dissolved council does not meet."))
    problems = _meeting_problems(starts_at, mode, place, link)
    if problems:
        raise RuleViolation(problems[0].message, problems)
    meeting = Meeting(
        council_id=council.id,
        starts_at=to_utc(starts_at),
        mode=mode,
        place=place.strip(),
        link=link.strip(),
        created_by=actor.id,
    )
    session.add(meeting)
    session.flush()
    _audit(session, actor, "meeting", meeting.id, "schedule", after=meeting.status)
    for seat in active_seats(session, council.id):  # every member is told (after commit)
        notify(
            session,
            kind="council_meeting",
            user_id=seat.user_id,
            object_type="council",
            object_id=council.id,
            params={"council": council.name, "starts_at": meeting.starts_at},
            actor_id=actor.id,
        )
    return meeting


def _meeting_problems(starts_at, mode, place, link) -> list[Violation]:
    found = []
    if starts_at is None or starts_at.tzinfo is None:
        found.append(Violation("starts_at", N_("Give the meeting's date and time.")))
    if mode not in set(MeetingMode):
        found.append(Violation("mode", N_("Choose in person, online or mixed.")))
    if mode in (MeetingMode.IN_PERSON, MeetingMode.MIXED) and not place.strip():
        found.append(Violation("place", N_("Give the place of a meeting held in person.")))
    if mode in (MeetingMode.ONLINE, MeetingMode.MIXED) and not link.strip().startswith("https://"):
        found.append(Violation("link", N_("Give the https:// link of a meeting held online.")))
    return found


def add_item(
    session: Session,
    *,
    actor: User,
    meeting_id: int,
    proposal_id: int | None = None,
    award_id: int | None = None,
) -> MeetingItem:
    """Put a proposal (selection: a submitted proposal of the council's call; a standing
    committee: of the fund's calls) or the council's project (mid-term, acceptance) on the
    agenda; members' conflicts on it are found at once."""
    found = _running(session, actor=actor, meeting_id=meeting_id)
    if not can_change_agenda(found.meeting, True):
        raise InvalidTransition(N_("The meeting is not in a state that allows this."))
    council = found.council
    if council.kind in (CouncilKind.SELECTION, CouncilKind.STANDING):
        _check_proposal(session, council, proposal_id)
        award_id = None
    else:
        if award_id is None or award_id != council.award_id:
            raise _refused("award_id", N_("This council sits on its own project only."))
        proposal_id = None
    items = agenda(session, found.meeting.id)
    if any(i.proposal_id == proposal_id and i.award_id == award_id for i in items):
        raise _refused("proposal_id", N_("This is on the agenda already."))
    item = MeetingItem(
        meeting_id=found.meeting.id,
        position=max((i.position for i in items), default=0) + 1,
        proposal_id=proposal_id,
        award_id=award_id,
    )
    session.add(item)
    session.flush()
    subject = f"proposal {proposal_id}" if proposal_id else f"award {award_id}"
    _audit(session, actor, "meeting_item", item.id, "add", after=item.status, detail=subject)
    refresh_item_conflicts(session, item)
    return item


def _check_proposal(session: Session, council: Council, proposal_id: int | None) -> None:
    proposal = session.get(Proposal, proposal_id) if proposal_id else None
    call = session.get(Call, proposal.call_id) if proposal else None
    ours = call is not None and (
        call.id == council.call_id
        if council.kind == CouncilKind.SELECTION
        else call.fund_id == council.fund_id
    )
    if proposal is None or not ours or proposal.status != ProposalStatus.SUBMITTED:
        raise _refused(
            "proposal_id", N_("Only submitted proposals of the council's call are put before it.")
        )


def remove_item(session: Session, *, actor: User, item_id: int) -> None:
    """Take an item that has not been started off the agenda."""
    found = _item_running(session, actor=actor, item_id=item_id)
    if found.item.status != ItemStatus.PENDING or not can_change_agenda(found.meeting, True):
        raise InvalidTransition(N_("Only an item not yet started leaves the agenda."))
    for conflict in conflicts_of(session, found.item.id):
        session.delete(conflict)
    session.delete(found.item)
    _audit(session, actor, "meeting_item", item_id, "remove", before=ItemStatus.PENDING)
    session.flush()


def open_meeting(session: Session, *, actor: User, meeting_id: int) -> Meeting:
    """The meeting of an active council (its composition still meeting the rules) opens."""
    found = _running(session, actor=actor, meeting_id=meeting_id)
    if found.council.status != CouncilStatus.ACTIVE:
        raise InvalidTransition(N_("Only an active council meets."))
    problems = composition(session, found.council)
    if problems:
        raise CompositionIncomplete(problems)
    meeting = found.meeting
    before = MEETING.move(meeting, MeetingStatus.OPEN)
    meeting.opened_at = utcnow()
    session.add(meeting)
    _audit(session, actor, "meeting", meeting.id, "open", before, meeting.status)
    session.flush()
    for item in agenda(session, meeting.id):
        refresh_item_conflicts(session, item)
    return meeting


def cancel_meeting(session: Session, *, actor: User, meeting_id: int) -> Meeting:
    found = _running(session, actor=actor, meeting_id=meeting_id)
    before = MEETING.move(found.meeting, MeetingStatus.CANCELLED)
    session.add(found.meeting)
    _audit(session, actor, "meeting", found.meeting.id, "cancel", before, found.meeting.status)
    session.flush()
    return found.meeting


def record_attendance(
    session: Session,
    *,
    actor: User,
    meeting_id: int,
    seat_id: int,
    present: bool,
    how: str = "in_person",
) -> Attendance:
    """The secretary (or a manager of the fund) records whether a member is present, in
    person or online; the quorum of every item follows at once."""
    found = _running(session, actor=actor, meeting_id=meeting_id)
    if not can_take_attendance(found.meeting, True):
        raise InvalidTransition(N_("The meeting is not in a state that allows this."))
    seat = session.get(CouncilSeat, seat_id)
    if seat is None or seat.council_id != found.council.id or not seat.active:
        raise NotFound(N_("No such member."))
    if how not in ("in_person", "online"):
        raise _refused("how", N_("Present in person or online."))
    row = session.exec(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.seat_id == seat_id)
    ).first()
    if row is not None and row.present == present and (row.how == how or not present):
        return row
    row = row or Attendance(meeting_id=meeting_id, seat_id=seat_id, recorded_by=actor.id)
    row.present, row.how = present, how if present else ""
    row.recorded_by, row.recorded_at = actor.id, utcnow()
    session.add(row)
    session.flush()
    state = f"present ({how})" if present else "absent"
    _audit(session, actor, "attendance", row.id, "record", after=state, detail=f"seat {seat_id}")
    return row


def require_quorum(session: Session, item: MeetingItem) -> None:
    """NoQuorum unless the members present, less those conflicted on the item, make the
    quorum: every step that deliberates, votes or concludes asks it."""
    q = item_quorum(session, item)
    if not q.ok:
        raise NoQuorum(q.reasons, present=q.present, needed=q.needed)


def start_item(session: Session, *, actor: User, item_id: int) -> MeetingItem:
    """The council takes up an item: it must be in session, with no other item under way and
    the quorum for this item (conflicted members leave it)."""
    found = _item_running(session, actor=actor, item_id=item_id)
    item = found.item
    if not is_in_session(found.meeting):
        raise InvalidTransition(N_("The meeting is not in session."))
    ITEM.check(item.status, ItemStatus.DELIBERATING)
    busy = item_under_way(session, found.meeting.id)
    if busy is not None and busy.id != item.id:
        raise InvalidTransition(N_("Finish the item under way first."))
    refresh_item_conflicts(session, item)
    require_quorum(session, item)
    before = ITEM.move(item, ItemStatus.DELIBERATING)
    session.add(item)
    _audit(session, actor, "meeting_item", item.id, "start", before, item.status)
    session.flush()
    return item


def open_voting(session: Session, *, actor: User, item_id: int) -> MeetingItem:
    """The deliberation ends and the vote opens, with the item's quorum present."""
    found = _item_running(session, actor=actor, item_id=item_id)
    item = found.item
    if not is_in_session(found.meeting):
        raise InvalidTransition(N_("The meeting is not in session."))
    ITEM.check(item.status, ItemStatus.VOTING)
    require_quorum(session, item)
    before = ITEM.move(item, ItemStatus.VOTING)
    session.add(item)
    _audit(session, actor, "meeting_item", item.id, "open_voting", before, item.status)
    session.flush()
    return item


def close_meeting(session: Session, *, actor: User, meeting_id: int) -> Meeting:
    """The meeting closes; refused while an item is being deliberated or voted on. Items
    never taken up stay waiting, with no conclusion."""
    found = _running(session, actor=actor, meeting_id=meeting_id)
    meeting = found.meeting
    MEETING.check(meeting.status, MeetingStatus.CLOSED)
    if item_under_way(session, meeting.id) is not None:
        raise InvalidTransition(N_("An item is still being deliberated or voted on."))
    before = MEETING.move(meeting, MeetingStatus.CLOSED)
    meeting.closed_at = utcnow()
    session.add(meeting)
    _audit(session, actor, "meeting", meeting.id, "close", before, meeting.status)
    session.flush()
    return meeting


def declare_item_conflict(
    session: Session, *, actor: User, item_id: int, reason: str, seat_id: int | None = None
) -> ItemConflict:
    """A member declares a conflict of interest on an item and leaves its deliberation and
    vote; the secretary (or a manager) may record a member's oral declaration with seat_id.
    Conflicts are settled before the vote opens."""
    found = item_access(session, actor=actor, item_id=item_id)
    if seat_id is None or (found.seat is not None and seat_id == found.seat.id):
        seat = found.seat
        if not is_member(seat, actor) or seat is None:
            raise NotAllowed(N_("Only members declare their conflicts."))
    else:
        if not can_run_meeting(found.manages, found.seat, actor):
            raise NotAllowed(N_("Only the council's secretary or the fund's managers do this."))
        seat = session.get(CouncilSeat, seat_id)
        if seat is None or seat.council_id != found.council.id or not seat.active:
            raise NotFound(N_("No such member."))
    if not conflicts_still_open(found.item) or MEETING.is_final(found.meeting.status):
        raise InvalidTransition(N_("Conflicts are declared before the vote opens."))
    if not reason.strip():
        raise _refused("reason", N_("Say what the conflict is."))
    row = _conflict_row(session, found.item.id, seat.id)
    text = reason.strip()
    if row is None:
        row = ItemConflict(item_id=found.item.id, seat_id=seat.id, source=DECLARED, reason=text)
    else:
        row.reason = f"{row.reason}\n{text}".strip()[:1000]
    session.add(row)
    session.flush()
    _audit(
        session,
        actor,
        "item_conflict",
        row.id,
        "declare",
        after="conflicted",
        detail=f"item {found.item.id}, seat {seat.id}: {text}",
    )
    return row


def _conflict_row(session: Session, item_id: int, seat_id: int) -> ItemConflict | None:
    return session.exec(
        select(ItemConflict).where(ItemConflict.item_id == item_id, ItemConflict.seat_id == seat_id)
    ).first()


def subject_proposal(session: Session, item: MeetingItem) -> Proposal:
    """The proposal an item is about: itself, or the one the project was funded from."""
    if item.proposal_id is not None:
        return session.get_one(Proposal, item.proposal_id)
    award = session.get_one(Award, item.award_id)
    return session.get_one(Proposal, award.proposal_id)


def refresh_item_conflicts(session: Session, item: MeetingItem) -> None:
    """The automatic checks of peer review (the institution of the PI, the host or a
    co-investigator; co-authorship; the member is the PI; a conflict declared as a reviewer
    and not overridden) for each member on a waiting item; a check no longer found goes,
    a declared conflict stays."""
    if item.status != ItemStatus.PENDING:
        return
    meeting = session.get_one(Meeting, item.meeting_id)
    seats = active_seats(session, meeting.council_id)
    proposal = subject_proposal(session, item)
    users = [session.get_one(User, s.user_id) for s in seats]
    found = conflicted_pairs(session, [proposal], users)
    existing = {c.seat_id: c for c in conflicts_of(session, item.id)}
    for seat in seats:
        reasons = found.get((proposal.id, seat.user_id))
        row = existing.get(seat.id)
        if reasons and row is None:
            row = ItemConflict(
                item_id=item.id, seat_id=seat.id, source=AUTOMATIC, reason="\n".join(reasons)
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor_id=None,
                object_type="item_conflict",
                object_id=row.id,
                action="detect",
                to_state="conflicted",
                detail=f"item {item.id}, seat {seat.id}: {'; '.join(reasons)}",
            )
        elif not reasons and row is not None and row.source == AUTOMATIC:
            session.delete(row)
    session.flush()


def refresh_council_conflicts(session: Session, council_id: int) -> None:
    """Recompute the automatic conflicts of every waiting item of the council's meetings
    (after a member is appointed)."""
    items = session.exec(
        select(MeetingItem)
        .join(Meeting, Meeting.id == MeetingItem.meeting_id)  # type: ignore[arg-type]
        .where(Meeting.council_id == council_id, MeetingItem.status == ItemStatus.PENDING)
    ).all()
    for item in items:
        refresh_item_conflicts(session, item)
