"""Demo data for development: the same services the views call, never a second code path."""

from datetime import datetime, timedelta

from sqlmodel import Session

from funds.accounts.mfa import rules as mfa_rules
from funds.accounts.mfa import services as mfa
from funds.accounts.models import User
from funds.accounts.services import (
    confirm_email,
    create_user,
    find_user_by_email,
    register_applicant,
)
from funds.calls.services import create_call, create_fund
from funds.clock import utcnow
from funds.compliance.demo import seed_budget_demo
from funds.proposals import services as proposal_svc
from funds.submission import services as submission_svc
from portal.demo_contracts import seed_contract
from portal.demo_councils import seed_councils
from portal.demo_overlap import seed_overlap
from portal.demo_practices import seed_practices
from reviews.reviewing.services import assign_reviewer

DEMO_PASSWORD = "demo-password"
ACCOUNTS = [
    ("admin@example.org", "Quản trị viên Demo", ["admin"]),
    ("manager@example.org", "Nguyễn Thị Quản Lý", ["manager"]),
    ("reviewer1@example.org", "Trần Văn Phản Biện", ["reviewer"]),
    ("reviewer2@example.org", "Lê Thị Thẩm Định", ["reviewer"]),
]
# Development only: fixed authenticator keys (README, "Demo accounts"), so a visitor can add
# them to an app and sign in as the administrator or the manager. Real keys are generated
# at enrolment and never leave the server but once, on the enrolment page.
DEMO_TOTP_SECRETS = {
    "admin@example.org": "RDFUNDDEMOADMINKEYFORTESTINGONLY",
    "manager@example.org": "RDFUNDDEMOMANAGERKEYFORDEMOSONLY",
}
APPLICANTS = [
    ("applicant@example.org", "Phạm Minh Khoa Học", "Đại học Bách khoa Hà Nội"),
    ("applicant2@example.org", "Võ Thị Nghiên Cứu", "Viện Hàn lâm KH&CN Việt Nam"),
]


def _people(session: Session) -> dict[str, User]:
    people = {}
    for email, name, roles in ACCOUNTS:
        people[email] = create_user(
            session,
            actor=None,
            email=email,
            name=name,
            password=DEMO_PASSWORD,
            roles=roles,
            institution="Quỹ Phát triển KH&CN Quốc gia (demo)",
        )
        if email in DEMO_TOTP_SECRETS:
            _enrol(session, people[email], DEMO_TOTP_SECRETS[email])
    for email, name, institution in APPLICANTS:
        registration = register_applicant(
            session,
            email=email,
            name=name,
            password=DEMO_PASSWORD,
            institution=institution,
            consent=True,
        )
        people[email] = confirm_email(session, secret=registration.secret)
    return people


def _enrol(session: Session, user: User, secret: str) -> None:
    """Enrol the demo key through the enrolment services, confirmed with the previous
    step's code so that the current one still signs in."""
    mfa.start_enrolment(session, actor=user, secret=secret)
    step = mfa_rules.time_step(utcnow()) - 1
    mfa.confirm_enrolment(session, actor=user, code=mfa_rules.code_at(secret, step))


def seed_demo(session: Session, *, now: datetime) -> bool:
    """Create the demo set once; returns False when it is already there."""
    if find_user_by_email(session, "admin@example.org"):
        return False
    people = _people(session)
    _host_organisation(session, people)
    manager = people["manager@example.org"]
    fund = create_fund(
        session,
        actor=manager,
        code="NAFOSTED-DEMO",
        name="Quỹ Phát triển khoa học và công nghệ (demo)",
    )
    open_call = create_call(
        session,
        actor=manager,
        fund_id=fund.id,
        title="Chương trình chip bán dẫn 2027",
        description="Nghiên cứu ứng dụng công nghệ chiến lược.",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=30),
        ceiling_vnd=5_000_000_000,
        budget_vnd=50_000_000_000,
        requires_endorsement=True,  # the host's officer endorses what is submitted (docs/hosts.md)
        endorsement_days=10,
    )
    closed = create_call(
        session,
        actor=manager,
        fund_id=fund.id,
        title="Nghiên cứu cơ bản 2026 (đã đóng)",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        ceiling_vnd=2_000_000_000,
        budget_vnd=20_000_000_000,
        area_codes=["SEMICONDUCTOR", "AI"],
    )
    _submitted_proposals(session, people, closed.id, submitted_at=now - timedelta(days=3))
    _two_stage_call(session, manager, fund.id, now)
    seed_overlap(session, manager=manager)  # the register, and the pairs it flags on submission
    seed_budget_demo(session)
    seed_councils(
        session, manager=manager, fund_id=fund.id, closed=closed, open_call=open_call, now=now
    )
    seed_contract(session, people=people)  # the selected proposal's contract in force
    seed_practices(session, people=people, fund_id=fund.id, now=now)  # responses, lotteries
    return True


def _two_stage_call(session: Session, manager: User, fund_id: int, now: datetime) -> None:
    """A two-stage call open for pre-proposals, its full proposals by invitation later
    (docs/two-stage.md)."""
    create_call(
        session,
        actor=manager,
        fund_id=fund_id,
        title="Vật liệu tiên tiến 2027 (hai vòng)",
        description="Vòng 1: hồ sơ sơ bộ; vòng 2: hồ sơ đầy đủ theo thư mời.",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=20),
        ceiling_vnd=3_000_000_000,
        budget_vnd=30_000_000_000,
        two_stage=True,
        outline_max_chars=3000,
        full_closes_at=now + timedelta(days=80),
    )


def _host_organisation(session: Session, people: dict) -> None:
    """The first applicant's university in the register, with an officer account
    (host@example.org) that sees its proposals and endorses them; the applicant names it."""
    from funds.hosts.services import choose_host, link_officer, register_host

    host = register_host(
        session,
        actor=people["admin@example.org"],
        name_vi="Đại học Bách khoa Hà Nội",
        name_en="Hanoi University of Science and Technology",
        tax_code="0123456789",  # demo data, not the university's real tax code
        address="Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội",
        line_agency="Bộ Giáo dục và Đào tạo",
        representative_name="PGS.TS. Trần Văn Đại Diện (demo)",
        representative_title="Giám đốc",
        finance_name="Nguyễn Thị Kế Toán (demo)",
        finance_email="ketoan@example.org",
        finance_phone="024 3869 0000",
    )
    officer = create_user(
        session,
        actor=None,
        email="host@example.org",
        name="Đỗ Thị Tổ Chức",
        password=DEMO_PASSWORD,
        roles=["host_officer"],
        institution=host.name_vi,
    )
    people["host@example.org"] = officer
    link_officer(session, actor=people["admin@example.org"], host_id=host.id, user_id=officer.id)
    choose_host(session, actor=people["applicant@example.org"], host_id=host.id)


def _submitted_proposals(session: Session, people: dict, call_id: int, *, submitted_at) -> None:
    """Two proposals submitted to the closed call while it was open, one with a reviewer."""
    specs = [
        (
            "applicant@example.org",
            "Thiết kế vi mạch RISC-V tiết kiệm năng lượng",
            "Energy-efficient RISC-V chip design",
            "SEMICONDUCTOR",
            1_800_000_000,
        ),
        (
            "applicant2@example.org",
            "Mô hình ngôn ngữ lớn cho tiếng Việt y khoa",
            "A large language model for Vietnamese medicine",
            "AI",
            1_500_000_000,
        ),
    ]
    manager = people["manager@example.org"]
    first = None
    for email, title, title_en, area, amount in specs:
        pi = people[email]
        p = proposal_svc.create_draft(
            session,
            actor=pi,
            call_id=call_id,
            title=title,
            title_en=title_en,
            abstract="Tóm tắt đề tài (dữ liệu minh hoạ).",
            area_code=area,
            requested_vnd=amount,
            keywords="demo; " + area.lower(),
            trl_now=3,
            trl_target=6,
            duration_months=24,
            work_packages=[
                {
                    "owner": pi.name,
                    "task": "Nghiên cứu tổng quan",
                    "due_month": 6,
                    "deliverable": "Báo cáo tổng quan",
                }
            ],
            budget_lines=[("personnel", submitted_at.year, amount)],
            now=submitted_at,
        )
        submission_svc.submit_proposal(session, actor=pi, proposal_id=p.id, now=submitted_at)
        first = first or p
    assign_reviewer(
        session, actor=manager, proposal_id=first.id, reviewer_id=people["reviewer1@example.org"].id
    )
    _funded_project(session, manager, p, submitted_at)


def _funded_project(session: Session, manager: User, proposal, when) -> None:
    """The last demo proposal is funded and becomes a project with two milestones."""
    from funds.projects.services import add_milestone, create_award
    from funds.proposals.services import record_decision

    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded", note="Demo")
    start = when.date() + timedelta(days=30)
    award = create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HD-DEMO-01",
        contract_date=start,
        start_date=start,
        end_date=start + timedelta(days=730),
    )
    for months, task, amount in (
        (6, "Thu thập dữ liệu y khoa", 600_000_000),
        (12, "Huấn luyện mô hình", 900_000_000),
    ):
        add_milestone(
            session,
            actor=manager,
            award_id=award.id,
            owner=proposal.title[:40],
            task=task,
            due_date=start + timedelta(days=30 * months),
            deliverable=task + " — báo cáo",
            tranche_vnd=amount,
        )
