"""Demo data for the review practices of issue 18 (docs/rebuttal.md, docs/lottery.md,
docs/two-stage.md), through the services the pages call — never a second code path:

- a reviewed call with the applicants' response period open: applicant@example.org has the
  anonymised reviews to answer, applicant2@example.org has answered; the call allots the money
  at its funding line by lottery and the seed is committed (not drawn); the demo councillors
  sit on its selection council, whose meeting has the proposals on its agenda, so each item
  page shows the reviews with the response next to them and the commitment;
- a second lottery call whose lottery has been drawn (the replay page);
- a two-stage call past its pre-proposals' deadline: applicant@example.org's pre-proposal is
  shortlisted, its letter issued and its full proposal started; applicant2@example.org's is
  not shortlisted.

Runs after portal.demo_councils.seed_councils (it seats the same councillors).
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from funds.accounts.models import User
from funds.accounts.services import create_user, find_user_by_email
from funds.calls.models import Call
from funds.calls.services import create_call
from funds.clock import to_local
from funds.letters import queries as letters_queries
from funds.letters.services import send_decisions
from funds.proposals import services as proposal_svc
from funds.proposals.models import Proposal
from funds.stages.services import start_full_proposal
from funds.submission import services as submission_svc
from reviews.consolidation.lottery.services import commit_seed, draw_lottery
from reviews.councils.meetings import services as meetings
from reviews.pool.services import accept_confidentiality, save_profile
from reviews.rebuttal.services import open_responses, submit_response
from reviews.reviewing.services import assign_reviewer, declare_conflict, save_review

REVIEWERS = ["reviewer1@example.org", "reviewer2@example.org"]
# Researchers who lead the lottery calls' other proposals (accounts that never sign in).
RESEARCHERS = [
    ("nghiencuu1@example.org", "Bùi Văn Vật Liệu", "Trường Đại học Bách khoa, ĐH Đà Nẵng"),
    ("nghiencuu2@example.org", "Đặng Thị Quang Học", "Viện Khoa học Vật liệu"),
    ("nghiencuu3@example.org", "Ngô Minh Điện Tử", "Trường Đại học Cần Thơ"),
    ("nghiencuu4@example.org", "Hồ Thị Cơ Khí", "Trường Đại học Kỹ thuật Công nghiệp"),
]
# Two reviewers' overall marks (1–10) per proposal, as in tests/rebuttal_data.py: with a
# budget of 2 bn and 1 bn each, the line funds the first two; the second and the fourth cannot
# be told apart from it and form the lottery's group, with 1 bn left for one of them.
MARKS = [(9, 9), (8, 7), (7, 7), (8, 5)]
COMMENTS = {
    9: "Đề xuất xuất sắc: mục tiêu rõ, phương pháp phù hợp, nhóm nghiên cứu mạnh.",
    8: "Đề xuất tốt; cần làm rõ kế hoạch thử nghiệm và các rủi ro kỹ thuật.",
    7: "Đề xuất khá; tính mới chưa thật nổi bật so với các công bố gần đây.",
    5: "Kế hoạch thực hiện còn sơ sài; kinh phí thiết bị chưa được giải trình.",
}
RESPONSE = (
    "Chúng tôi cảm ơn các chuyên gia. Về kế hoạch thử nghiệm: mẫu đầu tiên sẽ được chế tạo "
    "trong tháng thứ 9 tại phòng sạch của trường, có biên bản hợp tác kèm theo. Về kinh phí "
    "thiết bị: toàn bộ thiết bị đã có sẵn, kinh phí chỉ dành cho vật tư tiêu hao."
)


def seed_practices(session: Session, *, people: dict[str, User], fund_id: int, now: datetime):
    """The three calls described in the module's docstring."""
    manager = people["manager@example.org"]
    _reviewers_ready(session, people)
    researchers = [_researcher(session, *r) for r in RESEARCHERS]
    pis = [people["applicant@example.org"], people["applicant2@example.org"], *researchers[:2]]
    answering = _response_call(session, manager, people, fund_id, pis, now)
    _respond(session, people, answering, now)
    _council_reads_responses(session, manager, fund_id, answering, now)
    drawn = _reviewed_call(
        session,
        manager,
        people,
        fund_id,
        researchers,
        now,
        title="Năng lượng tái tạo 2026 (xét chọn có bốc thăm)",
        lottery_at_line=True,
    )
    commit_seed(session, actor=manager, call_id=drawn.id, now=now - timedelta(hours=2))
    draw_lottery(session, actor=manager, call_id=drawn.id, now=now - timedelta(hours=1))
    _shortlisted_call(session, manager, people, fund_id, now)


def _reviewers_ready(session: Session, people: dict[str, User]) -> None:
    for email in REVIEWERS:
        reviewer = people[email]
        save_profile(
            session,
            actor=reviewer,
            keywords="vật liệu; năng lượng; vi mạch",
            areas=[],
            languages="vi, en",
            max_load=20,
            available=True,
        )
        accept_confidentiality(session, actor=reviewer)


def _researcher(session: Session, email: str, name: str, institution: str) -> User:
    from portal.demo import DEMO_PASSWORD

    return create_user(
        session,
        actor=None,
        email=email,
        name=name,
        password=DEMO_PASSWORD,
        roles=["applicant"],
        institution=institution,
    )


def _closed_call(session, manager, fund_id, now, *, title, **settings) -> Call:
    return create_call(
        session,
        actor=manager,
        fund_id=fund_id,
        title=title,
        description="Dữ liệu minh hoạ.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=20),
        ceiling_vnd=1_500_000_000,
        budget_vnd=2_000_000_000,
        **settings,
    )


def _submitted(session, pi: User, call: Call, title: str, title_en: str, *, now) -> Proposal:
    """A complete proposal of 1 bn submitted while the call was open."""
    when = call.closes_at - timedelta(days=3)
    amount = 1_000_000_000
    p = proposal_svc.create_draft(
        session,
        actor=pi,
        call_id=call.id,
        title=title,
        title_en=title_en,
        abstract="Tóm tắt đề tài (dữ liệu minh hoạ).",
        area_code=None,
        requested_vnd=amount,
        keywords="demo; vật liệu",
        trl_now=3,
        trl_target=6,
        duration_months=24,
        work_packages=[
            {
                "owner": pi.name,
                "task": "Chế tạo và thử nghiệm mẫu",
                "due_month": 12,
                "deliverable": "Báo cáo thử nghiệm",
            }
        ],
        budget_lines=[("personnel", to_local(call.closes_at).year, amount)],
        now=when,
    )
    submission_svc.submit_proposal(session, actor=pi, proposal_id=p.id, now=when)
    return p


def _reviewed(session, manager, people, proposal: Proposal, marks) -> None:
    for email, mark in zip(REVIEWERS, marks, strict=True):
        reviewer = people[email]
        a = assign_reviewer(
            session, actor=manager, proposal_id=proposal.id, reviewer_id=reviewer.id
        )
        declare_conflict(session, actor=reviewer, assignment_id=a.id, has_conflict=False)
        save_review(
            session,
            actor=reviewer,
            assignment_id=a.id,
            score=mark,
            comment=COMMENTS[mark],
            submit=True,
        )


TITLES = [
    ("Pin natri-ion cho lưu trữ điện mặt trời", "Sodium-ion batteries for solar storage"),
    ("Vật liệu perovskite bền nhiệt", "Thermally stable perovskite materials"),
    ("Tua-bin gió cỡ nhỏ cho hải đảo", "Small wind turbines for islands"),
    ("Hydro xanh từ điện phân nước biển", "Green hydrogen from seawater electrolysis"),
]


def _reviewed_call(session, manager, people, fund_id, pis, now, *, title, **settings) -> Call:
    """A closed call with one proposal per PI, each reviewed by both demo reviewers."""
    call = _closed_call(session, manager, fund_id, now, title=title, **settings)
    for pi, (vi, en), marks in zip(pis, TITLES, MARKS, strict=True):
        p = _submitted(session, pi, call, vi, en, now=now)
        _reviewed(session, manager, people, p, marks)
    return call


def _response_call(session, manager, people, fund_id, pis, now) -> Call:
    """Reviewed, the response period open for ten days, the lottery's seed committed."""
    call = _reviewed_call(
        session,
        manager,
        people,
        fund_id,
        pis,
        now,
        title="Vật liệu năng lượng 2026 (có phản hồi ý kiến chuyên gia)",
        rebuttal_days=10,
        rebuttal_max_chars=2000,
        lottery_at_line=True,
    )
    open_responses(session, actor=manager, call_id=call.id, now=now - timedelta(days=1))
    commit_seed(session, actor=manager, call_id=call.id, now=now - timedelta(hours=1))
    return call


def _respond(session, people, call: Call, now) -> None:
    """applicant2 has answered; applicant has not yet."""
    pi = people["applicant2@example.org"]
    proposal = next(p for p in _proposals(session, call) if p.pi_id == pi.id)
    submit_response(
        session, actor=pi, proposal_id=proposal.id, text=RESPONSE, now=now - timedelta(hours=3)
    )


def _proposals(session, call: Call) -> list[Proposal]:
    from sqlmodel import select

    return list(
        session.exec(select(Proposal).where(Proposal.call_id == call.id).order_by(Proposal.id))
    )


def _council_reads_responses(session, manager, fund_id, call: Call, now) -> None:
    """The call's selection council (the demo councillors), its meeting after the response
    period with the proposals on the agenda."""
    from portal.demo_councils import EXPERTS, form_council, meeting_at

    experts = [find_user_by_email(session, e.email) for e in EXPERTS]
    council = form_council(session, manager, fund_id, call, experts, now, "262")
    meeting = meetings.schedule_meeting(
        session,
        actor=manager,
        council_id=council.id,
        starts_at=meeting_at(to_local(now).date() + timedelta(days=14), 8, 30),
        mode="in_person",
        place="Phòng họp tầng 3, 39 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
    )
    answered = find_user_by_email(session, "applicant2@example.org")
    # the answered proposal first on the agenda: the item a councillor opens first shows it
    for p in sorted(_proposals(session, call), key=lambda p: p.pi_id != answered.id):
        meetings.add_item(session, actor=manager, meeting_id=meeting.id, proposal_id=p.id)


def _shortlisted_call(session, manager, people, fund_id, now) -> None:
    """A two-stage call in its second stage: one pre-proposal shortlisted (letter issued, full
    proposal started), one not shortlisted."""
    from funds.proposals.services import record_decision

    call = create_call(
        session,
        actor=manager,
        fund_id=fund_id,
        title="Công nghệ sinh học nông nghiệp 2026 (hai vòng)",
        description="Vòng 1: hồ sơ sơ bộ (đã đóng); vòng 2: hồ sơ đầy đủ theo thư mời.",
        opens_at=now - timedelta(days=50),
        closes_at=now - timedelta(days=15),
        ceiling_vnd=3_000_000_000,
        budget_vnd=3_000_000_000,
        two_stage=True,
        outline_max_chars=3000,
        full_closes_at=now + timedelta(days=45),
    )
    outlines = [
        (
            people["applicant@example.org"],
            "Giống lúa chịu mặn bằng chỉnh sửa gen",
            "Salt-tolerant rice by gene editing",
            "shortlisted",
        ),
        (
            people["applicant2@example.org"],
            "Chế phẩm vi sinh xử lý phụ phẩm cà phê",
            "Microbial treatment of coffee by-products",
            "not_shortlisted",
        ),
    ]
    decided = []
    for pi, vi, en, outcome in outlines:
        p = _submitted(session, pi, call, vi, en, now=now)
        decided.append(
            record_decision(session, actor=manager, proposal_id=p.id, outcome=outcome, note="")
        )
    rows = letters_queries.decisions_of_call(session, call.id)
    send_decisions(
        session, actor=manager, call_id=call.id, decision_ids=[r.decision.id for r in rows]
    )
    first = decided[0].proposal_id
    start_full_proposal(session, actor=people["applicant@example.org"], outline_id=first, now=now)
