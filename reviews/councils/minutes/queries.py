"""The meeting record the minutes (biên bản) are made from, and the minutes' versions.

`minutes_record` gathers, as plain values, everything the minutes state: the council and the
decision that formed it, the legal basis of its rules, date and place, attendance and quorum,
per item the members who left it for a conflict and those absent, the table of scores (named
or anonymised), the vote counts (for a secret ballot the tallies only), the conclusion, the
requested changes and the dissenting opinions. The portal renders it; nothing here formats.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.legal.models import LegalInstrument
from funds.projects.acceptance.models import SelfEvaluation
from funds.projects.models import Award
from funds.proposals.models import Proposal
from reviews.consolidation.lottery.queries import LotteryView, lottery_view
from reviews.councils.ballots.models import BallotTally, OpenVote, VoteCast
from reviews.councils.meetings.models import Meeting, MeetingItem, RatingSheet, SheetStatus
from reviews.councils.meetings.queries import (
    agenda,
    attendance_of,
    conflicts_of,
    item_quorum,
    meeting_quorum,
)
from reviews.councils.minutes.models import Minutes, MinutesSignature
from reviews.councils.minutes.permissions import SIGNERS
from reviews.councils.models import BallotKind, Council, CouncilSeat
from reviews.councils.queries import council_spec
from reviews.councils.rules import CHOICES, Quorum
from reviews.councils.sheets.queries import criteria_of_item
from reviews.councils.sheets.rules import sheet_total_bp


@dataclass(frozen=True)
class MemberLine:
    seat_id: int
    name: str
    role: str
    represents: str
    present: bool
    how: str  # in_person | online | "" (absent or not recorded)


@dataclass(frozen=True)
class ScoreLine:
    member: str  # the member's name, or "1", "2"… when the fund's rule anonymises scores
    scores: dict[str, int]  # criterion key → score
    total: int  # the weighted total, in per cent of the maximum (one engine with the ranking)
    opinion: str


@dataclass(frozen=True)
class ItemLine:
    item_id: int
    position: int
    subject: str  # the proposal's or the project's title
    reference: str  # proposal number or contract number
    quorum: Quorum
    conflicts: list[tuple[str, str, str]]  # (member, automatic | declared, reason)
    absent: list[str]
    criteria: list[tuple[str, str]]  # (key, name) of the score columns
    scores: list[ScoreLine]
    counts: dict[str, int]  # choice → votes, every choice of the council's kind
    voted: int  # members who voted
    open_votes: list[tuple[str, str]]  # (member, choice); empty for a secret ballot
    secret: bool
    conclusion: str | None
    council_rank: int | None
    requested_changes: str
    dissent: str
    notes: str
    self_evaluation: tuple[str, str, str] | None = None  # (rating, evidence, host): acceptance


@dataclass(frozen=True)
class BasisLine:
    number: str
    title_vi: str
    title_en: str
    article: str


@dataclass(frozen=True)
class MinutesRecord:
    meeting_id: int
    council_id: int
    council_name: str
    kind: str
    formed_by: str
    formed_on: date | None
    basis: list[BasisLine]
    starts_at: datetime
    mode: str
    place: str
    link: str
    members: list[MemberLine]
    quorum: Quorum
    anonymised: bool
    ballot: str
    items: list[ItemLine] = field(default_factory=list)
    lottery: LotteryView | None = None  # a selection council's call: its lottery at the line


def minutes_record(session: Session, meeting_id: int) -> MinutesRecord:
    """Everything the minutes of this meeting state, read from the meeting record."""
    meeting = session.get_one(Meeting, meeting_id)
    council = session.get_one(Council, meeting.council_id)
    spec = council_spec(session, council)
    seats = _seats(session, council.id)
    names = {s.id: u.name for s, u in seats}
    attendance = attendance_of(session, meeting.id)
    members = [
        MemberLine(
            s.id,
            u.name,
            s.role,
            s.represents,
            bool(attendance.get(s.id) and attendance[s.id].present),
            attendance[s.id].how if s.id in attendance and attendance[s.id].present else "",
        )
        for s, u in seats
        if s.active or s.id in attendance
    ]
    # A secret ballot would be pointless if the minutes named each member beside the scores
    # that foretell the vote: a fund that votes by secret ballot anonymises the score table.
    anonymised = spec.ballot == BallotKind.SECRET
    present = {m.seat_id for m in members if m.present}
    return MinutesRecord(
        meeting_id=meeting.id,
        council_id=council.id,
        council_name=council.name,
        kind=council.kind,
        formed_by=council.formed_by,
        formed_on=council.formed_on,
        basis=_basis(session, council, spec),
        starts_at=meeting.starts_at,
        mode=meeting.mode,
        place=meeting.place,
        link=meeting.link,
        members=members,
        quorum=meeting_quorum(session, meeting),
        anonymised=anonymised,
        ballot=spec.ballot,
        items=[
            _item(session, item, council.kind, names, present, anonymised)
            for item in agenda(session, meeting.id)
        ],
        lottery=lottery_view(session, council.call_id) if council.call_id else None,
    )


def _seats(session: Session, council_id: int) -> list[tuple[CouncilSeat, User]]:
    order = ("chair", "vice_chair", "secretary", "reviewer_member", "member")
    rows = session.exec(
        select(CouncilSeat, User)
        .join(User, col(User.id) == CouncilSeat.user_id)
        .where(CouncilSeat.council_id == council_id)
    ).all()
    return sorted(rows, key=lambda r: (order.index(r[0].role), r[1].name, r[0].id))


def _basis(session: Session, council: Council, spec) -> list[BasisLine]:
    """The instruments the council was formed under and its rules cite, without repeats."""
    found: list[BasisLine] = []
    for code, article in ((council.instrument_code, ""), (spec.instrument, spec.article)):
        instrument = session.get(LegalInstrument, code) if code else None
        if instrument is not None and instrument.number not in [b.number for b in found]:
            found.append(
                BasisLine(instrument.number, instrument.title_vi, instrument.title_en, article)
            )
    return found


def _item(
    session: Session,
    item: MeetingItem,
    kind: str,
    names: Mapping[int, str],
    present: set[int],
    anonymised: bool,
) -> ItemLine:
    conflicts = conflicts_of(session, item.id)
    out = {c.seat_id for c in conflicts}
    subject, reference = _subject(session, item)
    criteria, scores = _scores(session, item, names, anonymised)
    counts, voted, open_votes, secret = _votes(session, item.id, kind, names)
    return ItemLine(
        item_id=item.id,
        position=item.position,
        subject=subject,
        reference=reference,
        quorum=item_quorum(session, item),
        conflicts=[(names.get(c.seat_id, "?"), c.source, c.reason) for c in conflicts],
        absent=[n for s, n in names.items() if s not in present and s not in out],
        criteria=criteria,
        scores=scores,
        counts=counts,
        voted=voted,
        open_votes=open_votes,
        secret=secret,
        conclusion=item.conclusion,
        council_rank=item.council_rank,
        requested_changes=item.requested_changes,
        dissent=item.dissent,
        notes=item.notes,
        self_evaluation=_self_evaluation(session, item.award_id),
    )


def _subject(session: Session, item: MeetingItem) -> tuple[str, str]:
    if item.proposal_id is not None:
        proposal = session.get_one(Proposal, item.proposal_id)
        return proposal.title, f"#{proposal.id}"
    award = session.get_one(Award, item.award_id)
    return session.get_one(Proposal, award.proposal_id).title, award.contract_number


def _self_evaluation(session: Session, award_id: int | None) -> tuple[str, str, str] | None:
    if award_id is None:
        return None
    row = session.exec(select(SelfEvaluation).where(SelfEvaluation.award_id == award_id)).first()
    return (row.rating, row.evidence, row.host) if row else None


def _scores(
    session: Session, item: MeetingItem, names: Mapping[int, str], anonymised: bool
) -> tuple[list[tuple[str, str]], list[ScoreLine]]:
    sheets = session.exec(
        select(RatingSheet).where(
            RatingSheet.item_id == item.id, RatingSheet.status == SheetStatus.SUBMITTED
        )
    ).all()
    lines = []
    for sheet in sheets:
        scores = {str(k): int(v) for k, v in _json(sheet.scores).items() if _is_int(v)}
        lines.append((names.get(sheet.seat_id, "?"), scores, sheet.opinion))
    keys = sorted({k for _n, s, _o in lines for k in s}, key=_key_order)
    rules = criteria_of_item(session, item)
    known = {str(c.id): c.name for c in rules}
    criteria = [(k, known.get(k, k)) for k in keys]

    def total(scores: dict[str, int]) -> int:
        """The sheet's weighted total in per cent of the maximum, as the ranking uses it."""
        return round(sheet_total_bp(rules, {int(k): v for k, v in scores.items()}) / 100)

    if anonymised:  # ordered by the scores, never by seat or time, then numbered
        lines.sort(key=lambda line: (-total(line[1]), sorted(line[1].items())))
        return criteria, [
            ScoreLine(str(n), s, total(s), o) for n, (_m, s, o) in enumerate(lines, 1)
        ]
    lines.sort(key=lambda line: line[0])
    return criteria, [ScoreLine(m, s, total(s), o) for m, s, o in lines]


def _votes(
    session: Session, item_id: int, kind: str, names: Mapping[int, str]
) -> tuple[dict[str, int], int, list[tuple[str, str]], bool]:
    counts = {str(c): 0 for c in CHOICES[kind]}
    tallies = session.exec(select(BallotTally).where(BallotTally.item_id == item_id)).all()
    opens = session.exec(select(OpenVote).where(OpenVote.item_id == item_id)).all()
    for row in tallies:
        counts[row.choice] = counts.get(row.choice, 0) + row.votes
    for vote in opens:
        counts[vote.choice] = counts.get(vote.choice, 0) + 1
    voted = len(session.exec(select(VoteCast.id).where(VoteCast.item_id == item_id)).all())
    shown = sorted((names.get(v.seat_id, "?"), v.choice) for v in opens)
    return counts, voted or sum(counts.values()), shown, bool(tallies) and not opens


def _json(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _is_int(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _key_order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (10**9, key)


# --- versions and signatures -------------------------------------------------------------


def versions(session: Session, meeting_id: int) -> list[Minutes]:
    """Every version of the meeting's minutes, newest first (old versions are kept)."""
    return list(
        session.exec(
            select(Minutes)
            .where(Minutes.meeting_id == meeting_id)
            .order_by(col(Minutes.version).desc(), Minutes.language)
        ).all()
    )


def latest(session: Session, meeting_id: int, language: str = "vi") -> Minutes | None:
    return session.exec(
        select(Minutes)
        .where(Minutes.meeting_id == meeting_id, Minutes.language == language)
        .order_by(col(Minutes.version).desc())
    ).first()


def signatures(session: Session, minutes_ids: list[int]) -> dict[int, list[MinutesSignature]]:
    """{minutes id: its sign-offs}."""
    found: dict[int, list[MinutesSignature]] = {i: [] for i in minutes_ids}
    for row in session.exec(
        select(MinutesSignature)
        .where(col(MinutesSignature.minutes_id).in_(minutes_ids))
        .order_by(col(MinutesSignature.signed_at))
    ).all():
        found[row.minutes_id].append(row)
    return found


def is_signed(session: Session, minutes: Minutes) -> bool:
    """Signed off by the chair and the secretary, each on this version's SHA-256."""
    rows = signatures(session, [minutes.id])[minutes.id]
    return {r.role for r in rows if r.sha256 == minutes.sha256} >= set(SIGNERS)


def signed_minutes(session: Session, meeting_id: int) -> Minutes | None:
    """The minutes a decision may cite: the latest Vietnamese version, if the chair and the
    secretary signed it (an earlier signed version does not count once a later one exists)."""
    minutes = latest(session, meeting_id, "vi")
    return minutes if minutes is not None and is_signed(session, minutes) else None
