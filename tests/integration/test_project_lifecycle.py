"""A project from award to closeout on a real database, through each closeout path."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import DomainError, NotFound
from funds.portfolio.models import PortfolioLine
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.changes import services as changes
from funds.projects.money.models import Movement
from funds.projects.regimes.rules import ALL_YES, Answer, Cause, Conditions, Evaluation, Rating
from funds.projects.regimes.services import CommittedIndicator
from funds.proposals.services import record_decision

Y, N = Answer.YES, Answer.NO
COMPLIANT = Evaluation(
    Rating.FAIL, ALL_YES, evidence="Biên bản 05/2027", conclusion="Đúng quy trình"
)
MISUSED = Evaluation(
    Rating.FAIL,
    Conditions(Y, Y, Y, N),
    outside_purpose_vnd=50_000_000,
    outside_purpose_evidence="Chi ngoài dự toán",
)
LUMP_SUM_INDICATORS = [CommittedIndicator("Mẫu pin", "Dung lượng", "≥ 10", "Ah")]


@pytest.fixture
def funded(make, session):
    def build(*, contract_date=date(2026, 1, 10), mode="itemised", requested=1_000_000_000):
        pi = make.user("applicant")
        proposal = make.proposal(pi=pi, submit=True, requested_vnd=requested)
        record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
        award = svc.create_award(
            session,
            actor=make.manager(),
            proposal_id=proposal.id,
            contract_number=f"HD-{proposal.id}",
            contract_date=contract_date,
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
            funding_mode=mode,
            indicators=LUMP_SUM_INDICATORS if mode == "lump_sum" else (),
        )
        m1 = svc.add_milestone(
            session,
            actor=make.manager(),
            award_id=award.id,
            owner="PI",
            task="Thiết kế",
            due_date=date(2026, 7, 15),
            deliverable="Bản thiết kế",
            tranche_vnd=600_000_000,
        )
        m2 = svc.add_milestone(
            session,
            actor=make.manager(),
            award_id=award.id,
            owner="NCS",
            task="Chế tạo",
            due_date=date(2027, 1, 15),
            deliverable="Mẫu thử",
            tranche_vnd=400_000_000,
        )
        session.commit()
        return pi, award, (m1, m2)

    return build


def _walk_to_final(session, make, pi, award, milestones, used, today=date(2027, 1, 10)):
    """One accepted report per milestone, each on the next reporting period (filed on a day
    whose window is open for periods 1 and 2, with no earlier period past due)."""
    spending = None if award.funding_mode == "lump_sum" else 100_000_000
    for m in milestones:
        report = svc.submit_progress_report(
            session,
            actor=pi,
            award_id=award.id,
            milestone_id=m.id,
            progress="Đúng tiến độ",
            spending_vnd=spending,
            today=today,
        )
        svc.review_progress_report(
            session,
            actor=make.manager(),
            report_id=report.id,
            accept=True,
            comment="Đạt",
            today=today,
        )
    co.submit_final_report(
        session, actor=pi, award_id=award.id, text="Báo cáo tổng kết", used_vnd=used
    )


def test_award_to_closeout_with_reports_extension_and_outputs(make, session, funded):
    pi, award, milestones = funded()
    lines = session.exec(
        select(PortfolioLine).where(PortfolioLine.project_code == award.contract_number)
    ).all()
    assert [(ln.basis, ln.amount_vnd) for ln in lines] == [("committed", 1_000_000_000)]
    first = svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestones[0].id,
        progress="6 tháng",
        spending_vnd=300_000_000,
        today=date(2026, 7, 1),
    )
    assert (first.period, first.due_date) == (1, date(2026, 7, 15))
    svc.review_progress_report(
        session,
        actor=make.manager(),
        report_id=first.id,
        accept=False,
        comment="Bổ sung số liệu",
        today=date(2026, 7, 5),
    )
    assert session.get(Movement, 1).status == "planned"  # a returned report releases nothing
    second = svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestones[0].id,
        progress="Bổ sung",
        spending_vnd=300_000_000,
        today=date(2026, 7, 10),
    )
    assert second.period == 1  # a returned report does not advance the schedule
    svc.review_progress_report(
        session, actor=make.manager(), report_id=second.id, accept=True, today=date(2026, 7, 10)
    )
    assert milestones[0].status == "accepted"
    assert svc.disbursed_in(session, award) == 600_000_000
    assert (
        session.exec(select(PortfolioLine).where(PortfolioLine.basis == "disbursed"))
        .one()
        .amount_vnd
        == 600_000_000
    )

    change = changes.request_change(
        session,
        actor=pi,
        award_id=award.id,
        kind="extension",
        reason="Chậm nhập thiết bị",
        extension_days=90,
        today=date(2027, 6, 1),
    )
    changes.decide_change(session, actor=make.manager(), change_id=change.id, approve=True)
    assert award.end_date == date(2027, 12, 31) + timedelta(days=90)
    with pytest.raises(DomainError):
        changes.request_change(
            session,
            actor=pi,
            award_id=award.id,
            kind="extension",
            reason="Thêm",
            extension_days=30,
            today=date(2028, 3, 1),
        )

    svc.record_output(
        session,
        actor=pi,
        award_id=award.id,
        kind="patent_application",
        title="Vi mạch",
        year=2027,
        reference="1-2027-00001",
    )
    _walk_to_final(session, make, pi, award, milestones[1:], used=900_000_000)
    closed = co.evaluate_and_close(
        session,
        actor=make.manager(),
        award_id=award.id,
        evaluation=Evaluation(Rating.EXCELLENT),
        scores="9/10",
    )
    assert (closed.outcome, closed.refund_vnd) == ("success", 100_000_000)
    svc.record_output(
        session,
        actor=pi,
        award_id=award.id,
        kind="licence",
        title="Li-xăng",
        year=2029,
        value_vnd=2_000_000_000,
    )  # still open after closeout
    actions = {
        e.action
        for e in session.exec(
            select(AuditEntry).where(
                AuditEntry.object_type.in_(
                    ["award", "progress_report", "money_movement", "change_request"]
                )
            )
        )
    }
    assert {"create", "submit", "review", "pay", "request", "decide", "close"} <= actions


def _indicator_met(session, award):
    from funds.projects.regimes.services import quality_indicators

    return {i.id: True for i in quality_indicators(session, award.id)}


@pytest.mark.parametrize(
    "evaluation, contract, mode, outcome, refund, liability",
    [
        (Evaluation(Rating.PASS), date(2026, 1, 10), "itemised", "success", 200_000_000, False),
        (COMPLIANT, date(2026, 1, 10), "itemised", "compliant_failure", 200_000_000, False),
        (MISUSED, date(2026, 1, 10), "itemised", "noncompliant_failure", 250_000_000, True),
        (COMPLIANT, date(2025, 3, 1), "itemised", "compliant_failure", 200_000_000, False),
        (
            Evaluation(Rating.FAIL, ALL_YES, cause=Cause.OBJECTIVE),
            date(2024, 5, 1),
            "itemised",
            "legacy_failure",
            200_000_000 + 80_000_000,
            False,
        ),
        (
            Evaluation(Rating.FAIL, ALL_YES, cause=Cause.SUBJECTIVE),
            date(2024, 5, 1),
            "itemised",
            "legacy_failure",
            200_000_000 + 240_000_000,
            True,
        ),
        (COMPLIANT, date(2026, 1, 10), "lump_sum", "compliant_failure", 200_000_000, False),
        (Evaluation(Rating.PASS), date(2026, 1, 10), "lump_sum", "success", 0, False),
    ],
)
def test_each_closeout_path(
    make, session, funded, evaluation, contract, mode, outcome, refund, liability
):
    """Law 93/2025/QH15 Art. 9 (2026), Resolution 193/2025/QH15 Art. 4 (Mar 2025) and the
    earlier rules of Circular 27/2015/TTLT-BKHCN-BTC (2024), on a real database."""
    pi, award, milestones = funded(contract_date=contract, mode=mode)
    _walk_to_final(session, make, pi, award, milestones, used=800_000_000)
    if mode == "lump_sum" and evaluation.rating == Rating.PASS:
        met = _indicator_met(session, award)
        evaluation = replace(evaluation, indicators=met, measured=dict.fromkeys(met, "10,4 Ah"))
    closed = co.evaluate_and_close(
        session,
        actor=make.manager(),
        award_id=award.id,
        evaluation=evaluation,
        risk_category="research_technology" if evaluation.rating == Rating.FAIL else "",
        lessons_learned="Bài học",
    )
    assert (closed.outcome, closed.refund_vnd, closed.liability_case) == (
        outcome,
        refund,
        liability,
    )
    assert closed.regime_code == award.regime_code
    assert award.status == "closed"
    if closed.host_refund_vnd is not None:
        assert closed.host_refund_vnd + closed.pi_refund_vnd == refund
    if mode == "lump_sum" and outcome == "success":
        assert closed.savings_vnd == 200_000_000
    cases = session.exec(
        select(AuditEntry).where(
            AuditEntry.object_id == award.id, AuditEntry.action == "open_liability_case"
        )
    ).all()
    assert len(cases) == (1 if liability else 0)


def test_council_member_sees_only_their_project(make, session, funded):
    _, award, _ = funded()
    _, other, _ = funded()
    member = make.user("reviewer")
    co.add_council_member(session, actor=make.manager(), award_id=award.id, user_id=member.id)
    assert svc.get_project_for(session, award_id=award.id, actor=member)[0].id == award.id
    with pytest.raises(NotFound):
        svc.get_project_for(session, award_id=other.id, actor=member)
    with pytest.raises(NotFound):
        svc.get_project_for(session, award_id=award.id, actor=make.user("applicant"))


def test_failed_project_needs_every_condition_answered(make, session, funded):
    """Law 93/2025/QH15 Art. 9: the four conditions are answered, never defaulted."""
    pi, award, milestones = funded()
    _walk_to_final(session, make, pi, award, milestones, used=800_000_000)
    with pytest.raises(DomainError) as refused:
        co.evaluate_and_close(
            session,
            actor=make.manager(),
            award_id=award.id,
            evaluation=Evaluation(Rating.FAIL, Conditions(Y, Y, None, Y)),
        )
    assert [v.field for v in refused.value.violations] == ["no_intentional_breach"]
    assert award.status == "active"


def test_award_budget_and_ledger_follow_the_proposals_budget_by_year(make, session):
    pi = make.user("applicant")
    proposal = make.proposal(
        pi=pi,
        submit=True,
        requested_vnd=0,
        budget_lines=[
            ("personnel", 2026, 300_000_000),
            ("equipment", 2026, 200_000_000),
            ("personnel", 2027, 400_000_000),
        ],
    )
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-MY",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    ledger = {
        (ln.fiscal_year, ln.basis): ln.amount_vnd
        for ln in session.exec(
            select(PortfolioLine).where(PortfolioLine.project_code == award.contract_number)
        )
    }
    assert ledger == {(2026, "committed"): 500_000_000, (2027, "committed"): 400_000_000}
