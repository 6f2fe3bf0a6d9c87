"""The project page's Money section and change requests over HTTP: buttons only for the
fund's managers, the allocation stopping a payment until a reason is given, the settlement
form keeping what was typed, liquidation refused with the figures, change requests per kind
refused at their field and approved as a numbered annex."""

from datetime import date

import pytest
from sqlmodel import select

from funds.clock import to_local, utcnow
from funds.compliance.models import FundAllocation
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.regimes.rules import Evaluation, Rating
from funds.proposals.services import record_decision

M = 1_000_000
THIS = to_local(utcnow()).year


@pytest.fixture
def project(make, session):
    pi = make.user("applicant", email="pi@example.org")
    fund = make.fund()
    proposal = make.proposal(
        pi=pi,
        call=make.call(fund=fund),
        submit=True,
        title="Pin natri-ion",
        budget_lines=[("personnel", THIS, 600 * M), ("equipment", THIS, 400 * M)],
    )
    manager = make.manager()
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number="HĐ-15/2026",
        contract_date=date(2026, 1, 10),
        start_date=date(THIS, 1, 15),
        end_date=date(THIS + 1, 12, 31),
    )
    session.commit()
    return pi, manager, fund, award


def test_only_the_funds_managers_see_and_use_the_money_buttons(client, make, session, project):
    pi, manager, _fund, award = project
    client.login(pi.email)
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert 'id="money"' in page
    assert "advance-form" not in page
    assert client.post_form(f"/projects/{award.id}/money/advance", {}).status_code == 403
    client.logout()
    client.login(make.manager_of(make.fund()).email)  # another fund's manager
    assert client.post_form(f"/projects/{award.id}/money/advance", {}).status_code == 404
    client.logout()
    client.login(manager.email)
    assert "advance-form" in client.get(f"/projects/{award.id}").get_data(as_text=True)
    r = client.post_form(f"/projects/{award.id}/money/advance", {}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Đã chi tạm ứng." in page
    assert "300.000.000" in page
    assert "advance-form" not in page


def test_the_allocation_stops_the_advance_until_a_reason_is_given(client, make, session, project):
    _pi, manager, fund, award = project
    session.add(FundAllocation(fund_id=fund.id, fiscal_year=THIS, amount_vnd=100 * M))
    session.commit()
    client.login(manager.email)
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "100.000.000" in page  # what remains is shown before paying
    r = client.post_form(f"/projects/{award.id}/money/advance", {}, follow_redirects=True)
    assert "sẽ bị âm" in r.get_data(as_text=True)
    r = client.post_form(
        f"/projects/{award.id}/money/advance",
        {"allocation_override": "Quỹ được bổ sung dự toán"},
        follow_redirects=True,
    )
    page = r.get_data(as_text=True)
    assert "Đã chi tạm ứng." in page
    assert "Quỹ được bổ sung dự toán" in page


def test_the_award_page_shows_the_allocation_and_keeps_what_was_typed(client, make, session):
    fund = make.fund()
    proposal = make.proposal(
        call=make.call(fund=fund), submit=True, budget_lines=[("personnel", THIS, 500 * M)]
    )
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    session.add(FundAllocation(fund_id=fund.id, fiscal_year=THIS, amount_vnd=200 * M))
    session.commit()
    client.login(make.manager().email)
    assert "200.000.000" in client.get(f"/projects/award/{proposal.id}").get_data(as_text=True)
    form = {
        "contract_number": "HĐ-99",
        "contract_date": "2026-01-10",
        "start_date": f"{THIS}-01-15",
        "end_date": f"{THIS + 1}-12-31",
        "funding_mode": "itemised",
    }
    r = client.post_form(f"/projects/award/{proposal.id}", form)
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "sẽ bị âm" in page
    assert 'value="HĐ-99"' in page
    form["allocation_override"] = "Bổ sung dự toán"
    assert client.post_form(f"/projects/award/{proposal.id}", form).status_code == 302


def _closed(session, manager, pi, award):
    from funds.projects.money import services as money

    money.pay_advance(session, actor=manager, award_id=award.id)
    co.submit_final_report(session, actor=pi, award_id=award.id, text="TK", used_vnd=300 * M)
    co.evaluate_and_close(
        session, actor=manager, award_id=award.id, evaluation=Evaluation(Rating.PASS)
    )
    session.commit()


def test_settlement_keeps_what_was_typed_then_liquidation_wants_a_zero_balance(
    client, make, session, project
):
    pi, manager, _fund, award = project
    _closed(session, manager, pi, award)
    client.login(manager.email)
    url = f"/projects/{award.id}/money/settlement"
    assert client.get(url).status_code == 200
    r = client.post_form(url, {"spent-0": "200.000.000", "spent-1": "100.000.000"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "giải trình chênh lệch" in page
    assert 'value="200.000.000"' in page
    r = client.post_form(
        url,
        {
            "spent-0": "200.000.000",
            "explain-0": "Giảm nhân công",
            "spent-1": "80.000.000",
            "explain-1": "Thiết bị rẻ hơn",
        },
    )
    assert r.status_code == 302
    r = client.post_form(f"/projects/{award.id}/money/liquidate", {}, follow_redirects=True)
    assert "còn phải hoàn trả 20.000.000" in r.get_data(as_text=True)  # 300 paid, 280 spent
    r = client.post_form(
        f"/projects/{award.id}/money/refund",
        {"amount_vnd": "20.000.000", "payer": "host", "reason": "UNC 12/2027"},
        follow_redirects=True,
    )
    assert "Đã ghi nhận khoản hoàn trả." in r.get_data(as_text=True)
    r = client.post_form(f"/projects/{award.id}/money/liquidate", {}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Đã thanh lý hợp đồng." in page
    assert "Số dư bằng không." in page


def test_a_change_request_is_refused_at_its_field_and_approved_as_an_annex(
    client, make, session, project
):
    pi, manager, _fund, award = project
    make.user("applicant", email="binh@example.org", name="Trần Thị Bình")
    client.login(pi.email)
    r = client.post_form(
        f"/projects/{award.id}/changes",
        {
            "kind": "budget_move",
            "from_category": "equipment",
            "to_category": "personnel",
            "move_year": str(THIS),
            "amount_vnd": "500.000.000",
            "reason": "Tăng nhân lực",
        },
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Tăng nhân lực" in page
    r = client.post_form(
        f"/projects/{award.id}/changes",
        {"kind": "pi_change", "new_pi_email": "binh@example.org", "reason": "Nghỉ hưu"},
    )
    assert r.status_code == 302
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Thay đổi chủ nhiệm nhiệm vụ" in page
    assert "Hạn quyết định" in page
    client.logout()
    client.login(manager.email)
    r = client.post_form(
        f"/projects/{award.id}/changes/1",
        {"decision": "approve", "note": "Phụ lục thay chủ nhiệm"},
        follow_redirects=True,
    )
    assert "Phụ lục 1" in r.get_data(as_text=True)
    client.logout()
    client.login(pi.email)  # the PI before reads the history, files nothing more
    page = client.get(f"/projects/{award.id}").get_data(as_text=True)
    assert "Phụ lục 1" in page
    assert "change-form" not in page


def test_the_manager_records_the_final_payment_from_the_project_page(
    client, make, session, project
):
    """After an acceptance that passed: an amount above what remains is refused at its
    field, the amount that remains is recorded as paid."""
    from funds.projects.money.models import Movement

    pi, manager, _fund, award = project
    _closed(session, manager, pi, award)
    client.login(manager.email)
    url = f"/projects/{award.id}/money/final"
    refused = client.post_form(url, {"amount_vnd": "999.000.000.000"}, follow_redirects=True)
    assert refused.status_code == 200
    session.expire_all()
    assert session.exec(select(Movement).where(Movement.kind == "final_payment")).first() is None
    r = client.post_form(url, {"amount_vnd": "100.000.000"})
    assert r.status_code == 302
    session.expire_all()
    paid = session.exec(select(Movement).where(Movement.kind == "final_payment")).one()
    assert (paid.amount_vnd, paid.status, paid.approved_by) == (100 * M, "paid", manager.id)
