"""Progress reports per reporting period over HTTP: the report form, the project page's periods
and the reminders sent (the reporting obligation of the funding contract, Law 93/2025/QH15 and
the fund's contract; docs/projects.md "Reporting periods").

The pages use the server's clock, so the project is placed around today: its first period
fell due a month ago (its report is late but may be filed), the second is five months away.
"""

from html import unescape

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import to_local, utcnow
from funds.projects import services as svc
from funds.projects.models import ProgressReport
from funds.projects.rules import add_months
from funds.proposals.services import record_decision
from portal.i18n import format_day

TODAY = to_local(utcnow()).date()
START = add_months(TODAY, -7)
DUE_1, DUE_2 = add_months(START, 6), add_months(START, 12)


@pytest.fixture
def project(make, session):
    pi = make.user("applicant", email="pi-periods@example.org")
    proposal = make.proposal(pi=pi, submit=True)
    manager = make.manager()
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HD-KY-01",
        contract_date=START,
        start_date=START,
        end_date=add_months(START, 24),
    )
    session.commit()
    return pi, manager, award


def _post_report(client, award, progress):
    return client.post_form(
        f"/projects/{award.id}/reports",
        {"milestone_id": "none", "progress": progress, "spending_vnd": "1.000.000", "risks": ""},
    )


def _period_row(page: str, number: int) -> str:
    start = page.index(f'id="period-{number}"')
    return page[start : page.index("</tr>", start)]


def test_the_report_form_files_for_the_current_period_and_keeps_a_refused_text(
    client, make, session, project
):
    pi, manager, award = project
    client.login(pi.email)
    client.use_language("en")
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Overdue" in _period_row(page, 1)
    assert format_day(DUE_1, "en") in _period_row(page, 1)  # e.g. 15 Jul 2026
    assert "Due" in _period_row(page, 2)

    assert _post_report(client, award, "Kết quả kỳ một").status_code == 302
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Awaiting review" in _period_row(page, 1)
    assert "Kết quả kỳ một" in _period_row(page, 1)

    refused = _post_report(client, award, "Báo cáo nộp trước cho kỳ sau")
    page = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 200
    assert f"The report for period 1 (due {DUE_1}) is awaiting review" in page
    assert "Báo cáo nộp trước cho kỳ sau" in page  # the text typed is still in the form
    assert len(session.exec(select(ProgressReport)).all()) == 1

    report = session.exec(select(ProgressReport)).one()
    svc.review_progress_report(session, actor=manager, report_id=report.id, accept=False)
    session.commit()
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Returned – to be filed again" in _period_row(page, 1)
    assert "the next payment is held" in page

    assert _post_report(client, award, "Bổ sung số liệu").status_code == 302
    periods = [r.period for r in session.exec(select(ProgressReport)).all()]
    assert periods == [1, 1]  # the returned report did not advance the schedule


def test_the_vietnamese_page_names_the_period_and_the_refusal(client, make, session, project):
    pi, manager, award = project
    client.login(pi.email)
    client.use_language("vi")
    _post_report(client, award, "Kỳ một")
    report = session.exec(select(ProgressReport)).one()
    svc.review_progress_report(session, actor=manager, report_id=report.id, accept=True)
    session.commit()
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Đã đạt" in _period_row(page, 1)
    refused = unescape(_post_report(client, award, "Kỳ hai quá sớm").get_data(as_text=True))
    assert f"Báo cáo kỳ 2 (hạn {DUE_2}) được nộp từ ngày" in refused
    assert "Kỳ hai quá sớm" in refused


def test_the_reminders_sent_follow_the_periods_met(app, make, session, project):
    pi, manager, award = project
    runner = app.test_cli_runner()

    def sent():
        output = runner.invoke(args=["send-reminders", "--today", str(TODAY)]).output
        return int(output.split()[0])

    assert sent() == 1  # period 1 is overdue
    report = svc.submit_progress_report(
        session, actor=pi, award_id=award.id, milestone_id=None, progress="x", spending_vnd=1
    )
    session.commit()
    assert sent() == 0  # filed and awaiting review: nothing to remind
    svc.review_progress_report(session, actor=manager, report_id=report.id, accept=False)
    session.commit()
    assert sent() == 1  # returned: period 1 is still owed
    kinds = session.exec(
        select(AuditEntry.to_state, AuditEntry.detail).where(AuditEntry.action == "reminder")
    ).all()
    assert kinds == [("progress_overdue", str(DUE_1))] * 2
