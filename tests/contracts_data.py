"""A selected proposal ready for appraisal and contract: a host with its officer, a PI naming
it, a two-year budget and two work packages, funded by the fund's manager; and the steps
through the services (appraisal with a cut the PI accepts, a drafted contract)."""

from dataclasses import dataclass

from funds.appraisal import queries as appraisal_queries
from funds.appraisal import services as appraisal
from funds.appraisal.rules import BudgetProposal
from funds.contracts import services as contracts
from funds.proposals.services import record_decision

M = 1_000_000
CUT = 60 * M  # the appraisal's cut of the first year's personnel line


@dataclass
class Selected:
    manager: object
    pi: object
    officer: object
    host: object
    proposal: object


def selected(make, session, *, fund=None, host=None, title="Vật liệu nano cho pin natri-ion"):
    """A funded proposal of a host with an officer (its budget 1.000 + 500 million đồng)."""
    manager = make.manager()
    host = host or make.host(
        name_vi="Đại học Bách khoa Hà Nội",
        address="Số 1 Đại Cồ Việt, Hà Nội",
        representative_name="PGS.TS. Trần Văn Đại Diện",
        representative_title="Giám đốc",
    )
    officer = make.host_officer(host)
    pi = make.user("applicant", name="TS. Phạm Minh Khoa Học", institution="ĐH Bách khoa Hà Nội")
    call = make.call(fund=fund) if fund else make.call()
    first = call.closes_at.year
    proposal = make.proposal(
        pi=pi,
        call=call,
        title=title,
        submit=True,
        host_id=host.id,
        requested_vnd=1_500 * M,
        publications_planned=2,
        work_packages=[
            {
                "owner": pi.name,
                "task": "Tổng hợp vật liệu",
                "due_month": 6,
                "deliverable": "Mẫu vật liệu đạt chuẩn",
            },
            {
                "owner": pi.name,
                "task": "Chế tạo pin thử nghiệm",
                "due_month": 18,
                "deliverable": "Pin mẫu 10 Wh",
            },
        ],
        budget_lines=[
            ("personnel", first, 600 * M),
            ("materials", first, 400 * M),
            ("personnel", first + 1, 500 * M),
        ],
    )
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    session.commit()
    return Selected(manager, pi, officer, host, proposal)


def appraised(session, s: Selected, *, cut: int = CUT):
    """The fund's staff cut the first year's personnel line; the PI accepts; approved."""
    a = appraisal.open_appraisal(session, actor=s.manager, proposal_id=s.proposal.id)
    line = next(
        b for b in appraisal_queries.budget_lines(session, a.id) if b.category == "personnel"
    )
    appraisal.save_appraisal(
        session,
        actor=s.manager,
        appraisal_id=a.id,
        budget={
            line.id: BudgetProposal(line.submitted_vnd - cut, "Giảm 10% thuê khoán chuyên môn")
        },
        work={},
    )
    appraisal.send_to_pi(session, actor=s.manager, appraisal_id=a.id)
    appraisal.answer_appraisal(
        session, actor=s.pi, appraisal_id=a.id, answers={("budget", line.id): ("accepted", "")}
    )
    appraisal.approve_appraisal(session, actor=s.manager, appraisal_id=a.id)
    session.commit()
    return a


def drafted(session, s: Selected):
    appraised(session, s)
    c = contracts.draft_contract(session, actor=s.manager, proposal_id=s.proposal.id)
    session.commit()
    return c
