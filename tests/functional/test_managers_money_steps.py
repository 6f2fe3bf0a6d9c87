"""Managers' money steps are safe (issue 16 §5): a progress report names its milestone or says
it names none, and the page tells the manager which tranche rule applies before acceptance;
no rating is preselected; the acceptance outcome is previewed before it is recorded."""

import html

import pytest
from sqlmodel import select

from funds.clock import to_local, utcnow
from funds.projects import services as svc
from funds.projects.models import ProgressReport
from funds.projects.rules import add_months
from funds.proposals.services import record_decision

TODAY = to_local(utcnow()).date()
START = add_months(TODAY, -7)


@pytest.fixture
def project(make, session):
    """A project started seven months ago (its first report is late), with a milestone
    carrying a 300 M tranche."""
    pi = make.user("applicant", email="pi-money@example.org")
    proposal = make.proposal(pi=pi, submit=True)
    manager = make.manager()
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HD-TIEN-01",
        contract_date=START,
        start_date=START,
        end_date=add_months(START, 24),
    )
    milestone = svc.add_milestone(
        session,
        actor=manager,
        award_id=award.id,
        owner="PI",
        task="Chế tạo mẫu thử",
        due_date=add_months(START, 6),
        deliverable="Mẫu 10 Ah",
        tranche_vnd=300_000_000,
    )
    session.commit()
    return pi, manager, award, milestone


def _report(client, award, milestone_id):
    return client.post_form(
        f"/projects/{award.id}/reports",
        {"milestone_id": milestone_id, "progress": "Tiến độ kỳ một", "spending_vnd": "1.000.000"},
    )


def test_a_report_must_say_which_milestone_it_is_for(client, session, project):
    pi, _manager, award, _milestone = project
    client.login(pi.email)
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    form = page[page.index('id="report-form"') :]
    select_ = form[: form.index("</select>")]
    assert "selected" not in select_  # nothing preselected
    refused = _report(client, award, "")
    assert refused.status_code == 200
    assert "Hãy chọn mốc" in html.unescape(refused.get_data(as_text=True))
    assert session.exec(select(ProgressReport)).first() is None


def test_a_report_without_a_milestone_shows_the_tranche_rule_before_acceptance(
    client, session, project
):
    pi, manager, award, _milestone = project
    client.login(pi.email)
    assert _report(client, award, "none").status_code == 302
    client.logout()
    client.login(manager.email)
    client.use_language("en")
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    note = page[page.index("tranche-note") : page.index("accept-report")]
    assert "names no milestone" in note
    assert "releases no tranche" in note
    client.use_language("vi")
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    assert "không nêu mốc nào" in page


def test_a_report_naming_its_milestone_says_the_tranche_it_releases(
    client, session, project
):
    pi, manager, award, milestone = project
    client.login(pi.email)
    assert _report(client, award, str(milestone.id)).status_code == 302
    client.logout()
    client.login(manager.email)
    client.use_language("en")
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    assert "releases its tranche of ₫300,000,000" in page
