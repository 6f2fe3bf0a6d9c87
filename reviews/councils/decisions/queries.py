"""Read models of decisions that cite a council: the items in the council's ranking with its
recommendation, the decisions and their lines, the concluded items of a project's acceptance
and mid-term councils, and the record a decision document is rendered from."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.proposals.models import Proposal, ProposalStatus
from funds.proposals.rules import PROPOSAL
from reviews.consolidation.lottery.queries import LotteryView, lottery_view
from reviews.councils.decisions.models import CouncilDecision, CouncilDecisionLine
from reviews.councils.decisions.rules import is_departure, is_recommended
from reviews.councils.meetings.models import Meeting, MeetingItem
from reviews.councils.meetings.queries import agenda
from reviews.councils.minutes.models import Minutes
from reviews.councils.minutes.queries import signed_minutes
from reviews.councils.models import Council, CouncilKind, CouncilStatus

SELECTING = (CouncilKind.SELECTION, CouncilKind.STANDING)  # councils that advise selection


def selection_council_of(session: Session, call_id: int) -> Council | None:
    """The call's selection council, if it has one that is not dissolved: then the fund's
    selection decision goes through the council's recommendations, not the funding line."""
    return session.exec(
        select(Council).where(
            Council.call_id == call_id,
            Council.kind == CouncilKind.SELECTION,
            Council.status != CouncilStatus.DISSOLVED,
        )
    ).first()


@dataclass(frozen=True)
class RankedItem:
    item: MeetingItem
    proposal: Proposal
    recommended: bool
    decidable: bool  # the proposal can still be decided (not decided already, not withdrawn)


def ranked_items(session: Session, meeting_id: int) -> list[RankedItem]:
    """The meeting's proposals in the council's ranking (unranked last, in agenda order)."""
    rows = [
        RankedItem(
            item,
            proposal := session.get_one(Proposal, item.proposal_id),
            is_recommended(item.conclusion),
            PROPOSAL.can_move(proposal.status, ProposalStatus.FUNDED),
        )
        for item in agenda(session, meeting_id)
        if item.proposal_id is not None
    ]
    return sorted(
        rows,
        key=lambda r: (r.item.council_rank is None, r.item.council_rank or 0, r.item.position),
    )


def decision_of_meeting(session: Session, meeting_id: int) -> CouncilDecision | None:
    return session.exec(
        select(CouncilDecision)
        .where(CouncilDecision.meeting_id == meeting_id)
        .order_by(col(CouncilDecision.id).desc())
    ).first()


def lines_of(session: Session, decision_id: int) -> list[CouncilDecisionLine]:
    return list(
        session.exec(
            select(CouncilDecisionLine)
            .where(CouncilDecisionLine.decision_id == decision_id)
            .order_by(col(CouncilDecisionLine.id))
        ).all()
    )


@dataclass(frozen=True)
class ProjectCouncilItem:
    """A concluded item of a project's acceptance or mid-term council, with the signed
    minutes that a closeout may cite (None while unsigned)."""

    item: MeetingItem
    meeting: Meeting
    council: Council
    minutes: Minutes | None


def project_council_items(
    session: Session, award_id: int, kind: str = CouncilKind.ACCEPTANCE
) -> list[ProjectCouncilItem]:
    """The award's concluded items before its councils of this kind, latest meeting first."""
    rows = session.exec(
        select(MeetingItem, Meeting, Council)
        .join(Meeting, col(Meeting.id) == MeetingItem.meeting_id)
        .join(Council, col(Council.id) == Meeting.council_id)
        .where(
            MeetingItem.award_id == award_id,
            Council.award_id == award_id,
            Council.kind == kind,
            col(MeetingItem.conclusion).is_not(None),
        )
        .order_by(col(Meeting.starts_at).desc(), col(MeetingItem.id).desc())
    ).all()
    return [ProjectCouncilItem(i, m, c, signed_minutes(session, m.id)) for i, m, c in rows]


@dataclass(frozen=True)
class DecisionLineView:
    rank: int | None
    title: str
    reference: str
    recommendation: str
    outcome: str
    departure: bool
    reason: str


@dataclass(frozen=True)
class DecisionRecord:
    """What the decision document states."""

    number: str
    fund: str
    call: str
    council: str
    formed_by: str
    meeting_at: datetime
    minutes_version: int
    minutes_sha256: str
    decided_by: str
    decided_at: datetime
    lines: list[DecisionLineView]
    lottery: LotteryView | None = None  # the call's lottery at the funding line, once drawn


def decision_record(
    session: Session,
    *,
    council: Council,
    meeting: Meeting,
    minutes: Minutes,
    number: str,
    decided_by: User,
    decided_at: datetime,
    lines: list[tuple[RankedItem, str, str]],
) -> DecisionRecord:
    """The record of a selection decision: lines are (item, outcome, reason) in rank order."""
    call = session.get_one(Call, council.call_id) if council.call_id else None
    fund = session.get_one(Fund, council.fund_id)
    return DecisionRecord(
        number=number,
        fund=fund.name,
        call=call.title if call else "",
        council=council.name,
        formed_by=council.formed_by,
        meeting_at=meeting.starts_at,
        minutes_version=minutes.version,
        minutes_sha256=minutes.sha256,
        decided_by=decided_by.name,
        decided_at=decided_at,
        lines=[
            DecisionLineView(
                row.item.council_rank,
                row.proposal.title,
                f"#{row.proposal.id}",
                row.item.conclusion or "",
                outcome,
                is_departure(row.item.conclusion, outcome),
                reason.strip(),
            )
            for row, outcome, reason in lines
        ],
        lottery=_drawn(lottery_view(session, call.id) if call else None),
    )


def _drawn(view: LotteryView | None) -> LotteryView | None:
    return view if view is not None and view.drawn else None
