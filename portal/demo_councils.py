"""Demo councils (issue 14), through the services the council pages call — never a second
code path: a selection council for the closed call that has met (attendance, a declared
conflict, rating sheets, secret ballots, conclusions, minutes signed by the chair and the
secretary, the fund's decision) and one for the open call with a meeting scheduled.

The services stamp their own instants with the server clock (funds.clock.utcnow): the past
meeting's date is the one scheduled (two days before `now`; scheduling in the past is
allowed), while its opening and closing, the sheets, the ballots, the minutes and their
signatures carry the time the demo was seeded.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session

from funds.accounts.models import User
from funds.accounts.services import create_user
from funds.calls.models import Call
from funds.clock import LOCAL_TZ, to_local
from funds.profiles.services import add_publication, update_profile
from funds.proposals import services as proposal_svc
from funds.submission import services as submission_svc
from portal.council_minutes.render import decision_pdf, minutes_pdf
from reviews.councils import services as councils
from reviews.councils.ballots.services import cast_vote, close_vote, prepare_ballot
from reviews.councils.decisions.services import decide_selection
from reviews.councils.meetings import services as meetings
from reviews.councils.meetings.models import Meeting
from reviews.councils.minutes.services import generate_minutes, sign_minutes
from reviews.councils.models import CouncilSeat
from reviews.councils.sheets.queries import item_context, sheet_form
from reviews.councils.sheets.services import save_sheet
from reviews.rubric.services import create_default_rubric, rubric_for_call


@dataclass(frozen=True)
class Expert:
    email: str
    name: str
    title: str  # the academic title eligibility reads (a doctorate or a professorship)
    position: str
    institution: str
    role: str  # their seat on both demo councils
    represents: str
    paper: tuple[str, str]  # a recent publication: title, venue


# Members of the reviewer pool who sit on both demo councils (README, "Demo accounts").
EXPERTS = [
    Expert(
        "chutich@example.org",
        "Nguyễn Văn Hùng",
        "GS.TSKH.",
        "Nghiên cứu viên cao cấp",
        "Viện Vật lý, Viện Hàn lâm KH&CN Việt Nam",
        "chair",
        "none",
        (
            "Transistor màng mỏng oxit cho mạch tích hợp công suất thấp",
            "Tạp chí Khoa học và Công nghệ",
        ),
    ),
    Expert(
        "phochutich@example.org",
        "Trần Thị Mai",
        "PGS.TS.",
        "Trưởng khoa Điện tử – Viễn thông",
        "Trường Đại học Công nghệ, ĐHQG Hà Nội",
        "vice_chair",
        "none",
        ("Kiến trúc bộ tăng tốc học sâu trên FPGA", "VNU Journal of Science"),
    ),
    Expert(
        "thuky@example.org",
        "Lê Quang Minh",
        "TS.",
        "Phó trưởng phòng Khoa học",
        "Trường Đại học Khoa học Tự nhiên, ĐHQG TP. Hồ Chí Minh",
        "secretary",
        "none",
        (
            "Đánh giá độ tin cậy của vi mạch tương tự",
            "Science & Technology Development Journal",
        ),
    ),
    Expert(
        "phanbien1@example.org",
        "Phạm Thu Hà",
        "PGS.TS.",
        "Giảng viên cao cấp",
        "Trường Đại học Bách khoa, ĐHQG TP. Hồ Chí Minh",
        "reviewer_member",
        "none",
        ("Thiết kế lõi RISC-V cho thiết bị IoT", "IEEE Access"),
    ),
    Expert(
        "phanbien2@example.org",
        "Hoàng Đức Long",
        "TS.",
        "Nghiên cứu viên chính",
        "Viện Công nghệ Thông tin, Viện Hàn lâm KH&CN Việt Nam",
        "reviewer_member",
        "none",
        (
            "Tối ưu năng lượng cho hệ thống trên chip",
            "Journal of Computer Science and Cybernetics",
        ),
    ),
    Expert(
        "uyvien1@example.org",
        "Đỗ Thị Lan",
        "TS.",
        "Chuyên viên chính",
        "Bộ Khoa học và Công nghệ",
        "member",
        "ordering_body",
        (
            "Chính sách phát triển công nghiệp bán dẫn Việt Nam",
            "Tạp chí Chính sách và Quản lý KH&CN",
        ),
    ),
    Expert(
        "uyvien2@example.org",
        "Vũ Minh Tuấn",
        "TS.",
        "Giám đốc Trung tâm Thiết kế vi mạch",
        "Tổng Công ty Công nghiệp Công nghệ cao Viettel",
        "member",
        "enterprise",
        (
            "Đóng gói vi mạch cho thiết bị viễn thông 5G",
            "REV Journal on Electronics and Communications",
        ),
    ),
]
SECRETARY = 2  # index in EXPERTS
ABSENT = 6  # the enterprise's representative is away on the day
CONFLICTED = 4  # declares a conflict on the second item
ONLINE = 1  # attends online


def seed_councils(
    session: Session, *, manager: User, fund_id: int, closed: Call, open_call: Call, now: datetime
) -> None:
    """The two demo selection councils: one has met and the fund has decided; one meets later."""
    experts = [_expert(session, e, now) for e in EXPERTS]
    for call in (closed, open_call):
        if rubric_for_call(session, call.id) is None:
            create_default_rubric(session, actor=manager, call_id=call.id)
    second = _second_proposal(session, closed, now)
    met = form_council(session, manager, fund_id, closed, experts, now, "215")
    _met(session, manager, met, experts, closed, second, now)
    upcoming = form_council(session, manager, fund_id, open_call, experts, now, "241")
    _scheduled(session, manager, upcoming, open_call, now)


def _expert(session: Session, e: Expert, now: datetime) -> User:
    user = create_user(
        session,
        actor=None,
        email=e.email,
        name=e.name,
        password="demo-password",
        roles=["reviewer"],
        institution=e.institution,
    )
    update_profile(
        session, actor=user, institution=e.institution, orcid="", title=e.title, position=e.position
    )
    title, venue = e.paper
    add_publication(
        session, actor=user, title=title, authors=e.name, year=to_local(now).year - 1, venue=venue
    )
    return user


def _second_proposal(session: Session, call: Call, now: datetime):
    """A second proposal submitted to the closed call while it was open (applicant2's)."""
    from funds.accounts.services import find_user_by_email

    pi = find_user_by_email(session, "applicant2@example.org")
    when = now - timedelta(days=4)
    p = proposal_svc.create_draft(
        session,
        actor=pi,
        call_id=call.id,
        title="Cảm biến khí MEMS tích hợp trên nền silicon",
        title_en="Integrated MEMS gas sensors on silicon",
        abstract="Tóm tắt đề tài (dữ liệu minh hoạ).",
        area_code="SEMICONDUCTOR",
        requested_vnd=1_900_000_000,
        keywords="demo; mems",
        trl_now=2,
        trl_target=5,
        duration_months=24,
        work_packages=[
            {
                "owner": pi.name,
                "task": "Chế tạo mẫu cảm biến",
                "due_month": 12,
                "deliverable": "Mẫu cảm biến thử nghiệm",
            }
        ],
        budget_lines=[("personnel", when.year, 1_900_000_000)],
        now=when,
    )
    submission_svc.submit_proposal(session, actor=pi, proposal_id=p.id, now=when)
    return p


def form_council(session, manager, fund_id, call, experts, now, number):
    formed_on = to_local(now).date() - timedelta(days=21)
    council = councils.create_council(
        session,
        actor=manager,
        fund_id=fund_id,
        kind="selection",
        name=f"Hội đồng số {number} — {call.title}",
        call_id=call.id,
        formed_by=f"Quyết định số {number}/QĐ-QPTKHCN",
        formed_on=formed_on,
    )
    for e, user in zip(EXPERTS, experts, strict=True):
        councils.appoint_member(
            session,
            actor=manager,
            council_id=council.id,
            user_id=user.id,
            role=e.role,
            represents=e.represents,
        )
        councils.accept_council_confidentiality(session, actor=user, council_id=council.id)
    councils.activate_council(session, actor=manager, council_id=council.id)
    return council


def meeting_at(day, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Vietnam on that day, as an aware instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def _met(session, manager, council, experts, call, second, now) -> None:
    """The meeting two days ago: attendance, a declared conflict, sheets, secret ballots,
    conclusions; closed, minutes signed, the fund's decision recorded."""
    secretary, chair = experts[SECRETARY], experts[0]
    meeting = meetings.schedule_meeting(
        session,
        actor=manager,
        council_id=council.id,
        starts_at=meeting_at(to_local(now).date() - timedelta(days=2), 8, 30),
        mode="mixed",
        place="Phòng họp tầng 3, 39 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
        link="https://meet.example.org/hoi-dong-215",
    )
    first = _first_proposal_id(session, call)
    items = [
        meetings.add_item(session, actor=manager, meeting_id=meeting.id, proposal_id=pid)
        for pid in (first, second.id)
    ]
    meetings.open_meeting(session, actor=secretary, meeting_id=meeting.id)
    seats = _seats(session, council.id, experts)
    for n, seat in enumerate(seats):
        meetings.record_attendance(
            session,
            actor=secretary,
            meeting_id=meeting.id,
            seat_id=seat.id,
            present=n != ABSENT,
            how="online" if n == ONLINE else "in_person",
        )
    meetings.declare_item_conflict(
        session,
        actor=experts[CONFLICTED],
        item_id=items[1].id,
        reason="Đồng hướng dẫn nghiên cứu sinh với chủ nhiệm đề tài.",
    )
    present = [u for n, u in enumerate(experts) if n != ABSENT]
    _deliberate(
        session,
        secretary,
        items[0],
        present,
        scores=[5, 4, 4, 4],
        votes=["select_with_changes"] * 5 + ["do_not_select"],
        opinion="Đề tài có tính mới, nhóm nghiên cứu mạnh; cần làm rõ kế hoạch chế tạo mẫu.",
        changes="Bổ sung kế hoạch tape-out với đối tác đúc chip; giảm 10% kinh phí thuê khoán.",
        dissent="Một thành viên cho rằng mục tiêu TRL 6 trong 24 tháng là quá tham vọng.",
    )
    _deliberate(
        session,
        secretary,
        items[1],
        [u for n, u in enumerate(present) if experts.index(u) != CONFLICTED],
        scores=[2, 3, 2, 3],
        votes=["do_not_select"] * 4 + ["select"],
        opinion="Cách tiếp cận chưa mới so với các công bố gần đây; kế hoạch thử nghiệm mỏng.",
        changes="",
        dissent="Một thành viên đề nghị tài trợ giai đoạn thử nghiệm ban đầu.",
    )
    meetings.close_meeting(session, actor=secretary, meeting_id=meeting.id)
    minutes = generate_minutes(
        session, actor=secretary, meeting_id=meeting.id, render=minutes_pdf, language="vi"
    )
    for signer in (chair, secretary):
        sign_minutes(session, actor=signer, minutes_id=minutes.id, sha256=minutes.sha256)
    decide_selection(
        session,
        actor=manager,
        meeting_id=meeting.id,
        outcomes={items[0].id: ("funded", ""), items[1].id: ("not_funded", "")},
        render=decision_pdf,
        number="248/QĐ-QPTKHCN",
    )
    _letters_sent(session, manager, call)


def _letters_sent(session, manager, call) -> None:
    """The fund sends each applicant of the decided proposals their letter."""
    from funds.letters import queries as letters_queries
    from funds.letters.services import send_decisions

    waiting = [
        r.decision.id for r in letters_queries.decisions_of_call(session, call.id) if not r.letter
    ]
    send_decisions(session, actor=manager, call_id=call.id, decision_ids=waiting)


def _first_proposal_id(session: Session, call: Call) -> int:
    """The closed call's proposal still waiting for a decision (the RISC-V design)."""
    from sqlmodel import select

    from funds.proposals.models import Proposal, ProposalStatus

    return session.exec(
        select(Proposal.id)
        .where(Proposal.call_id == call.id, Proposal.status == ProposalStatus.SUBMITTED)
        .order_by(Proposal.id)
    ).first()


def _seats(session: Session, council_id: int, experts: list[User]) -> list[CouncilSeat]:
    from reviews.councils.queries import seat_of

    return [seat_of(session, council_id, u.id) for u in experts]


def _deliberate(session, secretary, item, voters, *, scores, votes, opinion, changes, dissent):
    """Take up the item, every member present files a sheet, the vote opens (laying out the
    ballot as the meeting page does), each votes by secret ballot, the secretary closes it."""
    meetings.start_item(session, actor=secretary, item_id=item.id)
    for n, member in enumerate(voters):
        form = sheet_form(session, item_context(session, actor=member, item_id=item.id))
        pairs = zip(form.criteria, scores, strict=True)
        given = {c.id: max(0, min(c.scale_max, s - n % 2)) for c, s in pairs}
        save_sheet(
            session,
            actor=member,
            item_id=item.id,
            scores=given,
            opinion=opinion,
            version_id=0,
            submit=True,
        )
    meetings.open_voting(session, actor=secretary, item_id=item.id)
    prepare_ballot(session, item_id=item.id)
    for member, choice in zip(voters, votes, strict=True):
        cast_vote(session, actor=member, item_id=item.id, choice=choice)
    close_vote(
        session, actor=secretary, item_id=item.id, requested_changes=changes, dissent=dissent
    )


def _scheduled(session, manager, council, call, now) -> Meeting:
    """A meeting two weeks after the open call closes, with nothing on its agenda yet: the
    proposals are put before it once submitted."""
    day = to_local(call.closes_at).date() + timedelta(days=14)
    return meetings.schedule_meeting(
        session,
        actor=manager,
        council_id=council.id,
        starts_at=meeting_at(day, 8, 30),
        mode="in_person",
        place="Phòng họp tầng 3, 39 Trần Hưng Đạo, Hoàn Kiếm, Hà Nội",
    )
