"""Read models of council meetings: agendas, attendance, quorum per item, who votes, and
each member's agenda. Other parts (rating sheets, ballots, minutes, decisions) read the
meeting through these functions, so a quorum or a voter base is computed in one place."""

from dataclasses import dataclass
from typing import NamedTuple

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.calls.permissions import manages_fund
from funds.errors import N_, NotAllowed, NotFound
from funds.projects.models import Award, Closeout
from funds.proposals.models import (
    Attachment,
    Proposal,
    ProposalStatus,
    Submission,
    SubmissionStatus,
)
from funds.proposals.sections import attachments
from reviews.councils.meetings.models import (
    Attendance,
    ItemConflict,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingStatus,
)
from reviews.councils.models import Council, CouncilSeat
from reviews.councils.permissions import has_accepted_confidentiality, is_member
from reviews.councils.queries import active_seats, council_spec
from reviews.councils.queries import seat_of as seat_of
from reviews.councils.rules import Quorum, quorum
from reviews.rebuttal.models import Rebuttal
from reviews.rebuttal.queries import rebuttal_of
from reviews.reviewing.queries import AnonymousReview, anonymous_reviews

__all__ = [
    "AgendaRow",
    "agenda",
    "attendance_of",
    "conflicts_of",
    "council_of_item",
    "item_access",
    "item_attachment",
    "item_attachments",
    "item_material",
    "item_quorum",
    "item_submission",
    "meeting_access",
    "meeting_quorum",
    "member_agenda",
    "present_seat_ids",
    "seat_of",
    "voters",
]


def council_of_item(session: Session, item_id: int) -> Council:
    """The council whose meeting has this item on its agenda (NotFound for no such item)."""
    item = session.get(MeetingItem, item_id)
    meeting = session.get(Meeting, item.meeting_id) if item else None
    if meeting is None:
        raise NotFound(N_("No such agenda item."))
    return session.get_one(Council, meeting.council_id)


def agenda(session: Session, meeting_id: int) -> list[MeetingItem]:
    """The meeting's items in agenda order."""
    return list(
        session.exec(
            select(MeetingItem)
            .where(MeetingItem.meeting_id == meeting_id)
            .order_by(col(MeetingItem.position), col(MeetingItem.id))
        ).all()
    )


def attendance_of(session: Session, meeting_id: int) -> dict[int, Attendance]:
    """{seat id: attendance row} as the secretary recorded it."""
    return {
        a.seat_id: a
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)).all()
    }


def present_seat_ids(session: Session, meeting_id: int) -> set[int]:
    return {s for s, a in attendance_of(session, meeting_id).items() if a.present}


def conflicts_of(session: Session, item_id: int) -> list[ItemConflict]:
    """The members who leave this item (found automatically or declared)."""
    return list(
        session.exec(
            select(ItemConflict)
            .where(ItemConflict.item_id == item_id)
            .order_by(col(ItemConflict.id))
        ).all()
    )


def _quorum(session: Session, meeting: Meeting, conflicted: set[int]) -> Quorum:
    council = session.get_one(Council, meeting.council_id)
    seats = {s.id: s.role for s in active_seats(session, council.id)}
    return quorum(
        council_spec(session, council), seats, present_seat_ids(session, meeting.id), conflicted
    )


def item_quorum(session: Session, item: MeetingItem) -> Quorum:
    """The quorum for this item: the council's active members less those conflicted on it,
    against those of them present (rules.quorum)."""
    meeting = session.get_one(Meeting, item.meeting_id)
    return _quorum(session, meeting, {c.seat_id for c in conflicts_of(session, item.id)})


def meeting_quorum(session: Session, meeting: Meeting) -> Quorum:
    """The meeting's quorum before any conflict: whether it may sit at all."""
    return _quorum(session, meeting, set())


def voters(session: Session, item: MeetingItem) -> list[CouncilSeat]:
    """The seats that deliberate and vote on the item: active, present at its meeting and
    not conflicted on it (the base of the pass rule, rules.conclude's `voters`)."""
    meeting = session.get_one(Meeting, item.meeting_id)
    here = present_seat_ids(session, meeting.id)
    out = {c.seat_id for c in conflicts_of(session, item.id)}
    return [
        s for s in active_seats(session, meeting.council_id) if s.id in here and s.id not in out
    ]


class AgendaRow(NamedTuple):
    meeting: Meeting
    item: MeetingItem | None  # None: nothing on the meeting's agenda yet
    seat: CouncilSeat


def member_agenda(session: Session, user: User) -> list[AgendaRow]:
    """(meeting, item, seat) for every item of the meetings (not cancelled) of the councils
    where the user holds an active seat, by meeting time and agenda order; a meeting with
    nothing on its agenda yet has one row without an item (its secretary reaches it here)."""
    rows = session.exec(
        select(Meeting, MeetingItem, CouncilSeat)
        .outerjoin(MeetingItem, col(MeetingItem.meeting_id) == Meeting.id)
        .join(CouncilSeat, col(CouncilSeat.council_id) == Meeting.council_id)
        .where(
            CouncilSeat.user_id == user.id,
            col(CouncilSeat.active),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(col(Meeting.starts_at), col(MeetingItem.position), col(MeetingItem.id))
    ).all()
    return [AgendaRow(m, i, s) for m, i, s in rows]


def meetings_of(session: Session, council_id: int) -> list[Meeting]:
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.council_id == council_id)
            .order_by(col(Meeting.starts_at).desc())
        ).all()
    )


def item_under_way(session: Session, meeting_id: int) -> MeetingItem | None:
    """The item being deliberated or voted on, if any (one at a time)."""
    return session.exec(
        select(MeetingItem).where(
            MeetingItem.meeting_id == meeting_id,
            col(MeetingItem.status).in_([ItemStatus.DELIBERATING, ItemStatus.VOTING]),
        )
    ).first()


@dataclass(frozen=True)
class ItemAccess:
    """An item with its meeting and council, and how the user stands to it."""

    item: MeetingItem
    meeting: Meeting
    council: Council
    seat: CouncilSeat | None  # the user's active seat, if a member
    manages: bool  # a manager of the council's fund


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    council: Council
    seat: CouncilSeat | None
    manages: bool


def meeting_access(session: Session, *, actor: User, meeting_id: int) -> MeetingAccess:
    """The meeting if the actor manages its council's fund or sits on the council; otherwise
    NotFound (a member of another council learns nothing, not even that it exists)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(N_("No such meeting."))
    council = session.get_one(Council, meeting.council_id)
    seat, manages = _standing(session, council, actor)
    if not (manages or is_member(seat, actor)):
        raise NotFound(N_("No such meeting."))
    return MeetingAccess(meeting, council, seat, manages)


def item_access(session: Session, *, actor: User, item_id: int) -> ItemAccess:
    """The item if the actor manages its council's fund or sits on the council; otherwise
    NotFound."""
    item = session.get(MeetingItem, item_id)
    if item is None:
        raise NotFound(N_("No such agenda item."))
    try:
        found = meeting_access(session, actor=actor, meeting_id=item.meeting_id)
    except NotFound:
        raise NotFound(N_("No such agenda item.")) from None
    return ItemAccess(item, found.meeting, found.council, found.seat, found.manages)


def _standing(session: Session, council: Council, user: User) -> tuple[CouncilSeat | None, bool]:
    fund = session.get_one(Fund, council.fund_id)
    return seat_of(session, council.id, user.id), manages_fund(user, fund)


@dataclass(frozen=True)
class Material:
    """What the council reads on an item: the proposal (or the project and its final report),
    the external reviews without their reviewers, and the applicant's response if any."""

    proposal: Proposal
    award: Award | None
    final_report: str  # acceptance and mid-term: the project's final report as filed ("" if none)
    reviews: list[AnonymousReview]
    applicant_response: str | None  # the response sent (reviews.rebuttal), else None
    response: Rebuttal | None = None  # the response period, when one was opened


def item_material(session: Session, *, actor: User, item_id: int) -> Material:
    """The item's material for its council: the fund's managers, and members who accepted
    the council's confidentiality statement and are not conflicted on the item (a conflicted
    member leaves the item, its papers included); NotFound to everyone else."""
    found = item_access(session, actor=actor, item_id=item_id)
    if not found.manages:
        if not has_accepted_confidentiality(found.seat, actor):
            raise NotAllowed(N_("Accept the council's confidentiality statement first."))
        if found.seat is not None and found.seat.id in {
            c.seat_id for c in conflicts_of(session, item_id)
        }:
            raise NotAllowed(N_("You have a conflict of interest on this item."))
    item = found.item
    award = session.get(Award, item.award_id) if item.award_id else None
    proposal = session.get_one(Proposal, award.proposal_id if award else item.proposal_id)
    response = rebuttal_of(session, proposal.id)
    closeout = (
        session.exec(select(Closeout).where(Closeout.award_id == award.id)).first()
        if award
        else None
    )
    return Material(
        proposal=proposal,
        award=award,
        final_report=closeout.final_report if closeout else "",
        reviews=anonymous_reviews(session, proposal.id) if award is None else [],
        applicant_response=_sent(response) if award is None else None,
        response=response if award is None else None,
    )


def _sent(response: Rebuttal | None) -> str | None:
    return response.text if response is not None and response.submitted_at else None


class Candidate(NamedTuple):
    proposal_id: int | None
    award_id: int | None
    title: str


def agenda_candidates(session: Session, council: Council, meeting_id: int) -> list[Candidate]:
    """What may go on the meeting's agenda and is not on it: the submitted proposals of the
    council's call (a standing committee: of its fund's calls), or the council's project."""
    taken = agenda(session, meeting_id)
    if council.award_id is not None:
        if any(i.award_id == council.award_id for i in taken):
            return []
        award = session.get_one(Award, council.award_id)
        proposal = session.get_one(Proposal, award.proposal_id)
        return [Candidate(None, award.id, f"{award.contract_number} — {proposal.title}")]
    stmt = select(Proposal).where(Proposal.status == ProposalStatus.SUBMITTED)
    if council.call_id is not None:
        stmt = stmt.where(Proposal.call_id == council.call_id)
    else:
        calls = select(Call.id).where(Call.fund_id == council.fund_id)
        stmt = stmt.where(col(Proposal.call_id).in_(calls))
    on_agenda = {i.proposal_id for i in taken}
    return [
        Candidate(p.id, None, p.title)
        for p in session.exec(stmt.order_by(col(Proposal.id))).all()
        if p.id not in on_agenda
    ]


def item_title(session: Session, item: MeetingItem) -> str:
    """The proposal's title, or the project's contract number and title."""
    if item.award_id is not None:
        award = session.get_one(Award, item.award_id)
        proposal = session.get_one(Proposal, award.proposal_id)
        return f"{award.contract_number} — {proposal.title}"
    return session.get_one(Proposal, item.proposal_id).title


def item_submission(session: Session, *, actor: User, item_id: int) -> Submission | None:
    """The proposal's submitted version (its PDF holds the whole proposal), for those who
    may read the item's material (item_material's rules); None if none is current."""
    material = item_material(session, actor=actor, item_id=item_id)
    return session.exec(
        select(Submission)
        .where(
            Submission.proposal_id == material.proposal.id,
            Submission.status == SubmissionStatus.CURRENT,
        )
        .order_by(col(Submission.version_no).desc())
    ).first()


def item_attachments(session: Session, *, actor: User, item_id: int) -> list[Attachment]:
    """The proposal's files, for those who may read the item's material."""
    material = item_material(session, actor=actor, item_id=item_id)
    return attachments(session, material.proposal.id)


def item_attachment(
    session: Session, *, actor: User, item_id: int, attachment_id: int
) -> Attachment:
    """One of the proposal's files (NotFound for another proposal's)."""
    material = item_material(session, actor=actor, item_id=item_id)
    found = session.get(Attachment, attachment_id)
    if found is None or found.proposal_id != material.proposal.id:
        raise NotFound(N_("No such file."))
    return found
