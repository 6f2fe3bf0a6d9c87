"""A mid-term or acceptance council in session on one project, built row by row for the
criteria tests: five members (chair, secretary, two reviewer members, a member), an open
vote, a lump-sum contract with its quality indicators when given."""

from datetime import date, timedelta

from funds.clock import utcnow
from funds.projects.regimes.services import CommittedIndicator
from funds.projects.services import create_award
from funds.proposals.services import record_decision
from reviews.councils.meetings.models import (
    Attendance,
    ItemStatus,
    Meeting,
    MeetingItem,
    MeetingStatus,
)
from reviews.councils.models import Council, CouncilRules, CouncilSeat, CouncilStatus
from reviews.councils.sheets.queries import item_context, sheet_form

ROLES = ("chair", "secretary", "reviewer_member", "reviewer_member", "member")
INDICATORS = [
    CommittedIndicator("Mẫu pin natri-ion", "Dung lượng riêng", "≥ 120", "mAh/g"),
    CommittedIndicator("Mẫu pin natri-ion", "Số chu kỳ sạc-xả", "≥ 500", "chu kỳ"),
    CommittedIndicator("Quy trình chế tạo", "Hiệu suất", "≥ 90", "%"),
]


class ProjectSitting:
    """A mid-term or acceptance council of five in session on one project."""

    def __init__(self, make, session, kind, *, indicators=()):
        self.session, self.manager = session, make.manager()
        proposal = make.proposal(submit=True, title="Pin natri-ion")
        record_decision(session, actor=self.manager, proposal_id=proposal.id, outcome="funded")
        self.fund_id = proposal.call.fund_id
        self.award = create_award(
            session,
            actor=self.manager,
            proposal_id=proposal.id,
            contract_number=f"HD-{proposal.id}",
            contract_date=date(2025, 3, 1),
            start_date=date(2025, 3, 15),
            end_date=date(2026, 12, 31),
            funding_mode="lump_sum" if indicators else "itemised",
            indicators=list(indicators),
        )
        self.council = Council(
            fund_id=self.fund_id,
            kind=kind,
            name=f"Hội đồng {kind}",
            award_id=self.award.id,
            status=CouncilStatus.ACTIVE,
            created_by=self.manager.id,
        )
        session.add(self.council)
        session.add(CouncilRules(fund_id=self.fund_id, kind=kind, ballot="open", min_members=3))
        session.flush()
        self.members = [make.user("reviewer", commit=False) for _ in ROLES]
        self.seats = [
            CouncilSeat(council_id=self.council.id, user_id=u.id, role=r, appointed_by=1)
            for u, r in zip(self.members, ROLES, strict=True)
        ]
        session.add_all(self.seats)
        session.commit()

    def item(self) -> MeetingItem:
        """A new meeting in session with the project on its agenda, everyone present."""
        s = self.session
        meeting = Meeting(
            council_id=self.council.id,
            starts_at=utcnow() - timedelta(hours=1),
            status=MeetingStatus.OPEN,
            created_by=self.manager.id,
        )
        s.add(meeting)
        s.flush()
        item = MeetingItem(
            meeting_id=meeting.id, award_id=self.award.id, status=ItemStatus.DELIBERATING
        )
        s.add(item)
        s.add_all(
            Attendance(meeting_id=meeting.id, seat_id=x.id, present=True, recorded_by=1)
            for x in self.seats
        )
        s.commit()
        return item

    def form(self, item):
        ctx = item_context(self.session, actor=self.members[0], item_id=item.id)
        return sheet_form(self.session, ctx)
