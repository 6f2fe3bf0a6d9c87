"""Closeout regimes over HTTP: the award form's quality indicators, the regime override and the
evaluation form (answers never defaulted, nothing typed lost, consequences by regime)."""

import html
from datetime import date

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.acceptance.services import record_self_evaluation
from funds.projects.models import Award
from funds.projects.money.models import Movement
from funds.projects.regimes.models import QualityIndicator
from funds.proposals.models import Proposal
from funds.proposals.services import record_decision
from tests import council_minutes_data as data


@pytest.fixture
def reported(make, session):
    """A contract of 1 Mar 2025 (Resolution 193/2025/QH15): 1,000 M paid, 900 M used."""
    pi = make.user("applicant", email="pi@example.org")
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
    co.submit_final_report(
        session, actor=pi, award_id=award.id, text="Tổng kết", used_vnd=900_000_000
    )
    session.commit()
    return award


@pytest.fixture
def failed_by_council(make, session, reported):
    """The host's self-evaluation, then the acceptance council concluding "fail" with its
    minutes signed by the chair and the secretary: the evaluation form follows that item."""
    pi = session.get(User, session.get(Proposal, reported.proposal_id).pi_id)
    record_self_evaluation(
        session, actor=pi, award_id=reported.id, rating="pass", evidence="Báo cáo tự đánh giá"
    )
    fund_id = session.get(Proposal, reported.proposal_id).call.fund_id
    sitting = data.sitting(session, make, fund_id=fund_id, kind="acceptance", award_id=reported.id)
    item = data.item(session, sitting, award_id=reported.id, conclusion="fail")
    data.signed_minutes(session, sitting)
    session.commit()
    return {**FAILED, "item_id": str(item.id)}


FAILED = {
    "procedures_followed": "yes",
    "no_intentional_breach": "yes",
    "funds_within_purpose": "yes",
    "evidence": "Biên bản kiểm tra giữa kỳ số 12",
    "conclusion": "Hội đồng kết luận: đúng quy trình",
    "lessons_learned": "Vật liệu cực dương chưa ổn định",
}


def test_a_missing_condition_is_refused_in_vietnamese_and_nothing_typed_is_lost(
    client, make, session, reported, failed_by_council
):
    """Law 93/2025/QH15 Art. 9 / Resolution 193/2025/QH15 Art. 4: no_fraud left unanswered."""
    client.login(make.manager().email)
    page = client.get(f"/projects/{reported.id}").get_data(as_text=True)
    assert 'name="no_fraud"' in page
    assert 'name="no_fraud" type="radio" value="yes" checked' not in page  # never defaulted
    r = client.post_form(f"/projects/{reported.id}/evaluation", failed_by_council)
    assert r.status_code == 200
    text = html.unescape(r.get_data(as_text=True))
    assert "Hãy trả lời điều kiện này: có, không hoặc chưa đánh giá." in text
    assert "Vật liệu cực dương chưa ổn định" in text
    assert "Biên bản kiểm tra giữa kỳ số 12" in text
    session.expire_all()
    assert session.get(Award, reported.id).status == "active"


def test_a_compliant_failure_of_1_mar_2025_returns_only_the_unused_100m(
    client, make, session, reported, failed_by_council
):
    """Resolution 193/2025/QH15 Art. 4 (today's code said 370 M with liability and a mark)."""
    client.login(make.manager().email)
    assert "Nghị quyết 193/2025/QH15" in client.get(f"/projects/{reported.id}").get_data(
        as_text=True
    )
    r = client.preview_and_confirm(
        f"/projects/{reported.id}/evaluation", {**failed_by_council, "no_fraud": "yes"}
    )
    assert r.status_code == 302
    page = html.unescape(client.get(f"/projects/{reported.id}").get_data(as_text=True))
    assert "100.000.000" in page
    assert "370.000.000" not in page
    assert "Nghị quyết 193/2025/QH15 Điều 4" in page  # the basis in Vietnamese
    assert "không đạt nhưng tuân thủ quy trình" in page  # and what follows from it
    assert "Hội đồng acceptance số 7" in page  # the council the closeout follows


def test_the_evaluation_form_waits_for_the_acceptance_council(client, make, session, reported):
    """Issue 14 §7: no rating of one person's choosing; the form follows a concluded item."""
    client.login(make.manager().email)
    page = html.unescape(client.get(f"/projects/{reported.id}").get_data(as_text=True))
    assert "cần một nội dung về đề tài đã được hội đồng nghiệm thu kết luận" in page
    assert 'name="rating"' not in page
    r = client.post_form(f"/projects/{reported.id}/evaluation", {**FAILED, "rating": "pass"})
    assert r.status_code == 200
    session.expire_all()
    assert session.get(Award, reported.id).status == "active"


def test_an_override_needs_its_reason_and_is_shown_on_the_page(client, make, session):
    """Resolution 193/2025/QH15 transitional case for a contract of Jan 2025."""
    proposal = make.proposal(pi=make.user("applicant"), submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-T",
        contract_date=date(2025, 1, 10),
        start_date=date(2025, 1, 15),
        end_date=date(2026, 1, 14),
    )
    session.commit()
    client.login(make.manager().email)
    url = f"/projects/{award.id}/regime"
    r = client.post_form(url, {"regime_code": "res193", "reason": ""})
    assert r.status_code == 200
    assert "Thay đổi chế độ cần có lý do." in html.unescape(r.get_data(as_text=True))
    r = client.post_form(url, {"regime_code": "res193", "reason": "Chuyển tiếp theo Điều 4"})
    assert r.status_code == 302
    page = html.unescape(client.get(f"/projects/{award.id}").get_data(as_text=True))
    assert "Chuyển tiếp theo Điều 4" in page
    assert "Nghị quyết 193/2025/QH15 Điều 4" in page  # the regime's basis in Vietnamese


def test_the_award_form_takes_lump_sum_indicators_as_rows(client, make, session):
    """Resolution 193/2025/QH15 Art. 4: lump sum to final product, indicators committed."""
    proposal = make.proposal(pi=make.user("applicant"), submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    session.commit()
    client.login(make.manager().email)
    form = {
        "contract_number": "HD-LS",
        "contract_date": "2025-11-01",
        "start_date": "2025-11-15",
        "end_date": "2027-11-14",
        "funding_mode": "lump_sum",
    }
    r = client.post_form(f"/projects/award/{proposal.id}", form)
    assert r.status_code == 200  # a lump sum without indicators is refused
    assert "ít nhất một chỉ tiêu chất lượng" in html.unescape(r.get_data(as_text=True))
    rows = {
        "indicators-0-product": "Mẫu pin",
        "indicators-0-name": "Dung lượng",
        "indicators-0-target": "10",
        "indicators-0-unit": "Ah",
    }
    r = client.post_form(f"/projects/award/{proposal.id}", {**form, **rows})
    assert r.status_code == 302
    indicator = session.exec(select(QualityIndicator)).one()
    assert (indicator.product, indicator.name, indicator.target, indicator.unit) == (
        "Mẫu pin",
        "Dung lượng",
        "10",
        "Ah",
    )
