"""A portfolio full of marker strings in every non-public field, for the tests of the public
pages and the open data API (nothing marked may ever leave through them)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from funds.clock import utcnow
from funds.projects import services as project_svc
from funds.projects.models import Award, AwardStatus, Closeout
from funds.proposals.services import record_decision
from funds.publication.services import set_public_fields
from reviews.pool.services import accept_confidentiality
from reviews.reviewing.services import declare_conflict, save_review

MARKERS = (
    "MARKER_REVIEWER_NAME",
    "MARKER_REVIEW_COMMENT",
    "MARKER_DRAFT_TITLE",
    "MARKER_REJECTED_TITLE",
    "MARKER_DECISION_NOTE",
    "MARKER_WORK_PACKAGE",
    "MARKER_COMMERCIALISATION_PLAN",
    "MARKER_PROTOTYPES",
    "MARKER_CONTRACT",
    "MARKER_EVIDENCE",
    "MARKER_FINAL_REPORT",
    "MARKER_COUNCIL_CONCLUSION",
    "MARKER_EXPERT_OPINION",
    "MARKER_CLOSEOUT_SCORES",
    "MARKER_LESSONS",
    "MARKER_HIDDEN_ABSTRACT",
    "MARKER_HIDDEN_PI",
    "MARKER_HOST_FINANCE",
    "marker-pi@example.org",
    "marker-hidden-pi@example.org",
    "0909123987",  # the host's finance phone
    "987654321",  # a licence's value, withheld by default (also formatted below)
    "987.654.321",
    "987,654,321",
)


@dataclass
class Portfolio:
    fund: object
    hidden_fund: object
    call: object
    award: Award
    hidden_award: Award
    public_id: str
    hidden_public_id: str


def _funded(make, session: Session, *, call, pi, title, abstract, host, contract) -> Award:
    proposal = make.proposal(
        pi=pi,
        call=call,
        title=title,
        abstract=abstract,
        host_id=host.id,
        commercialisation_plan="MARKER_COMMERCIALISATION_PLAN",
        prototypes_planned="MARKER_PROTOTYPES",
        work_packages=[
            {"owner": "PI", "task": "MARKER_WORK_PACKAGE", "due_month": 6, "deliverable": "X"}
        ],
        submit=True,
        commit=False,
    )
    reviewer = make.user("reviewer", name="MARKER_REVIEWER_NAME", commit=False)
    assignment = make.assignment(proposal=proposal, reviewer=reviewer, commit=False)
    accept_confidentiality(session, actor=reviewer)
    declare_conflict(session, actor=reviewer, assignment_id=assignment.id, has_conflict=False)
    save_review(
        session,
        actor=reviewer,
        assignment_id=assignment.id,
        score=7,
        comment="MARKER_REVIEW_COMMENT",
        submit=True,
    )
    record_decision(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        outcome="funded",
        note="MARKER_DECISION_NOTE",
    )
    return project_svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number=contract,
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )


def _close(session: Session, award: Award) -> None:
    """The project closed with an excellent rating (the closeout's own texts are not public)."""
    award.status = AwardStatus.CLOSED
    session.add(award)
    session.add(
        Closeout(
            award_id=award.id,
            final_report="MARKER_FINAL_REPORT",
            final_report_at=utcnow() - timedelta(days=10),
            rating="excellent",
            scores="MARKER_CLOSEOUT_SCORES",
            conclusion="MARKER_COUNCIL_CONCLUSION",
            expert_opinion="MARKER_EXPERT_OPINION",
            lessons_learned="MARKER_LESSONS",
            outcome="success",
            closed_at=utcnow(),
        )
    )


def marked_portfolio(make, session: Session) -> Portfolio:
    """Two funds: one publishing the defaults, one withholding the abstract and the PI; each
    with a funded, closed project with results, and proposals that are never public."""
    fund = make.fund(code="PUB", name="Quỹ Công khai")
    hidden_fund = make.fund(code="KIN", name="Quỹ Kín")
    host = make.host(
        name_vi="Viện Cảm biến Điện tử",
        finance_name="MARKER_HOST_FINANCE",
        finance_phone="0909123987",
    )
    call = make.call(fund=fund, title="Đợt gọi công khai 2026")
    hidden_call = make.call(fund=hidden_fund, title="Đợt gọi quỹ kín")
    pi = make.user("applicant", email="marker-pi@example.org", name="Nguyễn Văn Điện")
    award = _funded(
        make, session, call=call, pi=pi, title="Cảm biến điện tử cho nông nghiệp",
        abstract="Tóm tắt công khai về cảm biến.", host=host, contract="MARKER_CONTRACT-1",
    )  # fmt: skip
    hidden_pi = make.user(
        "applicant", email="marker-hidden-pi@example.org", name="MARKER_HIDDEN_PI"
    )
    hidden_award = _funded(
        make, session, call=hidden_call, pi=hidden_pi, title="Vật liệu mới cho pin",
        abstract="MARKER_HIDDEN_ABSTRACT", host=host, contract="MARKER_CONTRACT-2",
    )  # fmt: skip
    set_public_fields(
        session,
        actor=make.manager(),
        fund_id=hidden_fund.id,
        fields=["amount", "outputs", "rating"],
    )
    for target in (award, hidden_award):
        project_svc.record_output(
            session, actor=make.manager(), award_id=target.id, kind="publication",
            title="Bài báo về cảm biến", year=2026, international=True,
            reference="10.1000/demo", evidence="MARKER_EVIDENCE",
        )  # fmt: skip
        project_svc.record_output(
            session, actor=make.manager(), award_id=target.id, kind="licence",
            title="Li-xăng công nghệ cảm biến", year=2026, value_vnd=987654321,
            evidence="MARKER_EVIDENCE",
        )  # fmt: skip
        _close(session, target)
    make.proposal(pi=pi, call=call, title="MARKER_DRAFT_TITLE", commit=False)
    rejected = make.proposal(pi=pi, call=call, title="MARKER_REJECTED_TITLE", submit=True)
    record_decision(
        session, actor=make.manager(), proposal_id=rejected.id, outcome="not_funded",
        note="MARKER_DECISION_NOTE",
    )  # fmt: skip
    session.commit()
    from funds.publication.models import PublicProject

    ids = {r.award_id: r.public_id for r in session.exec(select(PublicProject)).all()}
    return Portfolio(
        fund, hidden_fund, call, award, hidden_award, ids[award.id], ids[hidden_award.id]
    )
