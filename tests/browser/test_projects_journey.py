"""A PI files a progress report and sees the milestone accepted, in a real browser."""

from datetime import date

import pytest

from funds.projects import services as svc
from funds.proposals.services import record_decision

pytestmark = pytest.mark.browser


def test_pi_reports_and_the_manager_accepts_the_milestone(
    page, live_server, make, session, sign_in
):
    pi = make.user("applicant")
    manager = make.manager()
    proposal = make.proposal(pi=pi, submit=True, title="Robot hàn tự động")
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HD-BR-1",
        contract_date=date(2026, 1, 1),
        start_date=date(2026, 1, 2),
        end_date=date(2027, 12, 31),
    )
    svc.add_milestone(
        session,
        actor=manager,
        award_id=award.id,
        owner="PI",
        task="Mô hình động học",
        due_date=date(2026, 7, 2),
        deliverable="Báo cáo mô hình",
        tranche_vnd=200_000_000,
    )
    session.commit()

    sign_in(pi.email)
    page.goto(f"{live_server}/projects/{award.id}")
    page.select_option("#milestone_id", label="Mô hình động học")
    page.fill("#progress", "Đã hoàn thành mô hình động học.")
    page.fill("#spending_vnd", "150.000.000")
    page.steps("report")
    page.click("#report-form button[type=submit]")
    page.click("form[action='/auth/logout'] button")

    sign_in(manager.email)
    page.goto(f"{live_server}/projects/{award.id}")
    page.click("button.accept-report")
    page.click("form[action='/auth/logout'] button")

    sign_in(pi.email)
    page.goto(f"{live_server}/projects/{award.id}")
    page.steps("accepted")
    status = page.inner_text("#milestones .milestone-status")
    assert status in ("Accepted", "Đã chấp nhận")
    assert "200.000.000" in page.inner_text("#milestones")
