"""Funded projects over HTTP: access, forms, certificate and indicators."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.acceptance.services import record_self_evaluation
from funds.proposals.services import record_decision
from tests import council_minutes_data as data


@pytest.fixture
def project(make, session):
    pi = make.user("applicant", email="pi@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Pin natri-ion thế hệ mới")
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    session.commit()
    return pi, proposal


def test_manager_creates_the_award_and_milestones_over_http(client, make, session, project):
    pi, proposal = project
    client.login(make.manager().email)
    assert "Pin natri-ion thế hệ mới" in client.get("/projects/").get_data(as_text=True)
    r = client.post_form(
        f"/projects/award/{proposal.id}",
        {
            "contract_number": "HD-01/2026",
            "contract_date": "2026-01-10",
            "start_date": "2026-01-15",
            "end_date": "2027-12-31",
            "funding_mode": "itemised",
        },
    )
    assert r.status_code == 302
    award_url = r.location
    r = client.post_form(
        f"{award_url}/milestones",
        {
            "owner": "PI",
            "task": "Thiết kế cell",
            "due_date": "2026-07-15",
            "deliverable": "Bản thiết kế",
            "tranche_vnd": "300.000.000",
        },
    )
    assert r.status_code == 302
    page = client.get(award_url).get_data(as_text=True)
    assert "Thiết kế cell" in page
    assert "15/07/2026" in page  # dd/mm/yyyy in Vietnamese
    client.logout()
    client.login(pi.email)
    r = client.post_form(
        f"{award_url}/reports",
        {"milestone_id": "1", "progress": "Xong", "spending_vnd": "-5"},
        follow_redirects=True,
    )
    assert "âm" in r.get_data(as_text=True)  # negative amount refused with a reason


def test_other_applicants_get_404_and_reviewers_403_on_manager_actions(
    client, make, session, project
):
    _, proposal = project
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-2",
        contract_date=date(2026, 1, 1),
        start_date=date(2026, 1, 2),
        end_date=date(2027, 1, 1),
    )
    session.commit()
    client.login(make.user("applicant").email)
    assert client.get(f"/projects/{award.id}").status_code == 404
    assert client.post_form(f"/projects/{award.id}/reports", {"progress": "x"}).status_code == 404
    client.logout()
    client.login(make.user("reviewer").email)
    assert client.post_form(f"/projects/{award.id}/milestones", {}).status_code == 403
    assert client.get("/projects/indicators").status_code == 403


def test_certificate_lists_every_milestone_and_the_outcome(client, make, session, project):
    pi, proposal = project
    m = make.manager()
    award = svc.create_award(
        session,
        actor=m,
        proposal_id=proposal.id,
        contract_number="HD-3",
        contract_date=date(2026, 1, 1),
        start_date=date(2026, 1, 2),
        end_date=date(2027, 1, 1),
    )
    milestone = svc.add_milestone(
        session,
        actor=m,
        award_id=award.id,
        owner="Trần Văn Chủ",
        task="Chế tạo mẫu",
        due_date=date(2026, 6, 1),
        deliverable="Mẫu pin 10 Ah",
        tranche_vnd=500_000_000,
    )
    report = svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestone.id,
        progress="ok",
        spending_vnd=100,
    )
    svc.review_progress_report(session, actor=m, report_id=report.id, accept=True)
    co.submit_final_report(
        session, actor=pi, award_id=award.id, text="Tổng kết", used_vnd=400_000_000
    )
    record_self_evaluation(session, actor=pi, award_id=award.id, rating="pass", evidence="Mẫu")
    sitting = data.sitting(
        session, make, fund_id=proposal.call.fund_id, kind="acceptance", award_id=award.id
    )
    item = data.item(session, sitting, award_id=award.id, conclusion="fail")
    data.signed_minutes(session, sitting)
    session.commit()
    client.login(m.email)
    r = client.preview_and_confirm(
        f"/projects/{award.id}/evaluation",
        {
            "item_id": str(item.id),
            "procedures_followed": "yes",
            "no_fraud": "yes",
            "no_intentional_breach": "yes",
            "funds_within_purpose": "yes",
            "evidence": "Biên bản kiểm tra giữa kỳ",
            "conclusion": "Thực hiện đúng quy trình",
            "risk_category": "research_technology",
            "lessons_learned": "Vật liệu chưa ổn định",
        },
    )
    assert r.status_code == 302
    pdf = client.get(f"/projects/{award.id}/certificate.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    for expected in ("Chế tạo mẫu", "Trần Văn Chủ", "01/06/2026", "Mẫu pin 10 Ah", "100.000.000"):
        assert expected in text
    session.refresh(award)
    assert award.regime_basis.split()[1] in text  # the closeout regime's instrument number
    page = client.get("/projects/indicators?year=2026").get_data(as_text=True)
    assert "failure_rate" in page
    assert "100%" in page
    assert "days_final_report_to_closeout" in page
    assert "0 ngày" in page  # the manager's account is in Vietnamese
    assert "<svg" in page
    assert "Pin natri-ion" not in page
    xlsx = client.get("/projects/indicators?year=2026&format=xlsx")
    assert xlsx.data[:2] == b"PK"
    pdf = client.get("/projects/indicators?year=2026&format=pdf")
    pdf_text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Tỷ lệ thất bại đúng quy định" in " ".join(pdf_text.split())  # by its name
    other_fund = make.fund(code="OTHER")
    page = client.get(f"/projects/indicators?year=2026&fund={other_fund.id}")
    assert "100.0%" not in page.get_data(as_text=True)  # the other fund has no closed project
