"""Managers' money steps are safe (issue 16 §5): a progress report names its milestone or says
it names none, and the page tells the manager which tranche rule applies before acceptance;
no rating is preselected; the acceptance outcome is previewed before it is recorded."""

import html
import re
from datetime import date

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.clock import to_local, utcnow
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.acceptance.services import record_self_evaluation
from funds.projects.models import Closeout, ProgressReport
from funds.projects.money.models import Movement
from funds.projects.rules import add_months
from funds.proposals.models import Proposal
from funds.proposals.services import record_decision
from tests import council_minutes_data as data

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


def test_a_report_naming_its_milestone_says_the_tranche_it_releases(client, session, project):
    pi, manager, award, milestone = project
    client.login(pi.email)
    assert _report(client, award, str(milestone.id)).status_code == 302
    client.logout()
    client.login(manager.email)
    client.use_language("en")
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    assert "releases its tranche of ₫300,000,000" in page


@pytest.fixture
def reported(make, session):
    """A contract of 1 Mar 2025 (Resolution 193/2025/QH15): 1,000 M paid, 900 M used, its
    final report and outputs filed, the host's self-evaluation and an acceptance council that
    concluded "fail" with signed minutes."""
    pi = make.user("applicant", email="pi-close@example.org")
    proposal = make.proposal(pi=pi, submit=True, title="Pin natri-ion")
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-193",
        contract_date=date(2025, 3, 1),
        start_date=date(2025, 3, 15),
        end_date=date(2026, 3, 14),
    )
    session.add(
        Movement(
            award_id=award.id,
            kind="tranche",
            amount_vnd=1_000_000_000,
            fiscal_year=2026,
            status="paid",
        )
    )
    session.flush()
    svc.record_output(
        session,
        actor=pi,
        award_id=award.id,
        kind="publication",
        title="Điện cực natri mới",
        year=2026,
        international=True,
        reference="10.1000/xyz",
        value_vnd=None,
        evidence="",
    )
    co.submit_final_report(
        session,
        actor=pi,
        award_id=award.id,
        text="Báo cáo tổng kết: mẫu pin 5 Ah",
        used_vnd=900_000_000,
    )
    record_self_evaluation(
        session, actor=pi, award_id=award.id, rating="pass", evidence="Báo cáo tự đánh giá"
    )
    fund_id = session.get(Proposal, award.proposal_id).call.fund_id
    sitting = data.sitting(session, make, fund_id=fund_id, kind="acceptance", award_id=award.id)
    item = data.item(session, sitting, award_id=award.id, conclusion="fail")
    data.signed_minutes(session, sitting)
    session.commit()
    return award, item


ANSWERS = {
    "procedures_followed": "yes",
    "no_fraud": "no",
    "no_intentional_breach": "yes",
    "funds_within_purpose": "yes",
    "evidence": "Biên bản kiểm tra giữa kỳ số 12",
    "conclusion": "Hội đồng kết luận",
}


def test_the_evaluator_reads_the_final_report_and_outputs_and_nothing_is_preselected(
    client, make, reported
):
    award, _item = reported
    client.login(make.manager().email)
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    form = page[page.index('id="evaluation-form"') :]
    form = form[: form.index("</form>")]
    assert "Báo cáo tổng kết: mẫu pin 5 Ah" in page[page.index('id="final-report"') :]
    assert "Điện cực natri mới" in page[page.index('id="final-report"') :]
    assert "900.000.000" in page[page.index('id="final-report"') :]
    # no council conclusion (it carries the rating) and no answer chosen: blanks only
    assert not re.search(r'<option selected value="[^"]', form)
    assert "checked" not in form
    assert 'name="action" value="confirm"' not in form  # confirming comes after a preview


def test_no_rating_form_preselects_a_rating(client, make, session, reported):
    """The self-evaluation, the evaluation's council conclusion and the ballot all start
    unchosen: no <option selected> carrying a rating, no checked radio."""
    award, _item = reported
    pi = session.get(User, session.get(Proposal, award.proposal_id).pi_id)
    client.login(pi.email)
    page = client.get(f"/council-minutes/projects/{award.id}/self-evaluation").get_data(
        as_text=True
    )
    for rating in ("excellent", "pass", "fail"):
        assert not re.search(rf'value="{rating}"[^>]*selected', page)
        assert not re.search(rf'value="{rating}"[^>]*checked', page)


def test_the_outcome_preview_equals_what_is_then_recorded(client, make, session, reported):
    award, item = reported
    client.login(make.manager().email)
    client.use_language("en")
    url = f"/projects/{award.id}/evaluation"
    typed = {**ANSWERS, "item_id": str(item.id)}
    preview = client.post_form(url, {**typed, "action": "preview"})
    assert preview.status_code == 200
    page = html.unescape(preview.get_data(as_text=True))
    shown = page[page.index('id="outcome-preview"') :]
    refund = re.search(r'id="preview-refund">([^<]+)<', shown).group(1)
    basis = re.search(r'id="preview-basis">([^<]+)<', shown).group(1)
    assert refund == "₫1,000,000,000"  # fraud: everything disbursed is recovered
    assert "Resolution 193/2025/QH15" in basis
    assert re.search(r'id="preview-liability">Would be opened<', shown)
    assert re.search(r'id="preview-mark">Yes<', shown)
    assert 'name="action" value="confirm"' in page
    session.expire_all()
    assert session.exec(select(Closeout)).one().closed_at is None  # nothing saved

    unseen = client.post_form(url, {**typed, "action": "confirm"})  # no preview: refused
    assert unseen.status_code == 200
    assert "Preview the outcome before confirming" in html.unescape(unseen.get_data(as_text=True))
    assert 'id="outcome-preview"' in unseen.get_data(as_text=True)  # shown now, to confirm
    stale = {**typed, "action": "confirm", "previewed": "0" * 32}
    assert client.post_form(url, stale).status_code == 200
    session.expire_all()
    assert session.exec(select(Closeout)).one().closed_at is None
    seen = re.search(r'name="previewed" value="([0-9a-f]+)"', page).group(1)
    confirmed = {**typed, "action": "confirm", "previewed": seen}
    assert client.post_form(url, confirmed).status_code == 302
    session.expire_all()
    closeout = session.exec(select(Closeout)).one()
    assert closeout.refund_vnd == 1_000_000_000
    assert closeout.basis == basis
    assert closeout.liability_case
    assert closeout.mark_against_future
