"""An award's money on a real database: advance, two tranches with a hold, final payment,
settlement with a difference explained, refund and liquidation to zero; the fund's
allocation stopping a contract and a payment unless the manager gives a reason."""

from datetime import date

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import to_local, utcnow
from funds.compliance.models import FundAllocation
from funds.errors import InvalidTransition, RuleViolation
from funds.notifications.models import Notification
from funds.portfolio.models import PortfolioLine
from funds.projects import closeout as co
from funds.projects import services as svc
from funds.projects.money import queries
from funds.projects.money import services as money
from funds.projects.money.models import Movement
from funds.projects.money.rules import SpentLine
from funds.projects.regimes.rules import Evaluation, Rating
from funds.proposals.services import record_decision

THIS = to_local(utcnow()).year  # payments fall in the fiscal year they are made
M = 1_000_000


def _proposal(make, years=(2026, 2027), fund=None):
    first, second = years
    call = make.call(fund=fund) if fund else make.call()
    return make.proposal(
        call=call,
        submit=True,
        budget_lines=[
            ("personnel", first, 400 * M),
            ("equipment", first, 300 * M),
            ("personnel", second, 300 * M),
        ],
        counterparts=[("Công ty ABC", 200 * M, first), ("Công ty ABC", 100 * M, second)],
    )


@pytest.fixture
def project(make, session):
    manager = make.manager()
    proposal = _proposal(make)
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number=f"HD-M{proposal.id}",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    milestones = [
        svc.add_milestone(
            session,
            actor=manager,
            award_id=award.id,
            owner="PI",
            task=task,
            due_date=due,
            deliverable=task,
            tranche_vnd=amount,
        )
        for task, due, amount in (
            ("Thiết kế", date(2026, 7, 15), 300 * M),
            ("Chế tạo", date(2027, 1, 15), 200 * M),
        )
    ]
    session.commit()
    return proposal, manager, award, milestones


def _report(session, proposal, manager, award, milestone, filed, accepted=None):
    from funds.accounts.models import User

    pi = session.get(User, proposal.pi_id)
    report = svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestone.id if milestone else None,
        progress="Tiến độ",
        spending_vnd=100 * M,
        today=filed,
    )
    return svc.review_progress_report(
        session, actor=manager, report_id=report.id, accept=True, today=accepted or filed
    )


def _ledger(session, award, basis, source="state"):
    return {
        line.fiscal_year: line.amount_vnd
        for line in session.exec(
            select(PortfolioLine).where(
                PortfolioLine.project_code == award.contract_number,
                PortfolioLine.basis == basis,
                PortfolioLine.source == source,
            )
        ).all()
    }


def _kinds(session, award):
    return [(m.kind, m.status, m.amount_vnd) for m in queries.movements(session, award.id)]


def test_advance_tranches_with_a_hold_final_payment_settlement_refund_and_liquidation(
    make, session, project
):
    proposal, manager, award, (m1, m2) = project
    assert _ledger(session, award, "committed") == {2026: 700 * M, 2027: 300 * M}
    assert _ledger(session, award, "committed", "nonstate") == {2026: 200 * M, 2027: 100 * M}

    advance = money.pay_advance(session, actor=manager, award_id=award.id)
    assert (advance.amount_vnd, advance.status) == (300 * M, "paid")
    assert advance.approved_by == manager.id
    assert _ledger(session, award, "disbursed") == {THIS: 300 * M}
    with pytest.raises(InvalidTransition, match="already been paid"):
        money.pay_advance(session, actor=manager, award_id=award.id)

    _report(session, proposal, manager, award, m1, date(2026, 7, 1))
    # period 2 reported late, accepted while period 3 is past due: the tranche is held
    _report(session, proposal, manager, award, m2, date(2027, 7, 20))
    assert [s for k, s, _ in _kinds(session, award) if k == "tranche"] == ["paid", "held"]
    held = session.exec(select(Movement).where(Movement.status == "held")).one()
    told = session.exec(select(Notification).where(Notification.kind == "payment_held")).one()
    assert told.user_id == proposal.pi_id  # the PI is told why the money does not come
    with pytest.raises(RuleViolation, match="Payments are held"):
        money.release_tranche(session, actor=manager, movement_id=held.id, today=date(2027, 7, 20))
    _report(session, proposal, manager, award, None, date(2027, 7, 21))  # period 3: hold lifted
    assert [s for k, s, _ in _kinds(session, award) if k == "tranche"] == ["paid", "paid"]
    assert queries.disbursed_in(session, award) == 800 * M

    co.submit_final_report(
        session,
        actor=session.get(type(manager), proposal.pi_id),
        award_id=award.id,
        text="Tổng kết",
        used_vnd=780 * M,
    )
    closeout = co.evaluate_and_close(
        session, actor=manager, award_id=award.id, evaluation=Evaluation(Rating.PASS)
    )
    assert closeout.refund_vnd == 20 * M
    with pytest.raises(RuleViolation, match="more than the contract"):
        money.record_final_payment(session, actor=manager, award_id=award.id, amount_vnd=201 * M)
    money.record_final_payment(session, actor=manager, award_id=award.id, amount_vnd=200 * M)
    assert queries.balance(session, award).due_vnd == 220 * M  # 1,000 paid, 780 used

    lines = [
        SpentLine("personnel", 2026, "state", 400 * M),
        SpentLine("equipment", 2026, "state", 250 * M),
        SpentLine("personnel", 2027, "state", 300 * M),
        SpentLine("counterpart", 2026, "nonstate", 200 * M),
        SpentLine("counterpart", 2027, "nonstate", 80 * M, "Đối tác giảm phần thử nghiệm"),
    ]
    with pytest.raises(RuleViolation) as refused:
        money.settle_accounts(session, actor=manager, award_id=award.id, lines=lines)
    assert [v.field for v in refused.value.violations] == ["lines-1"]
    assert refused.value.violations[0].params["approved_vnd"] == 300 * M
    lines[1] = SpentLine("equipment", 2026, "state", 250 * M, "Thiết bị mua được giá thấp hơn")
    money.settle_accounts(session, actor=manager, award_id=award.id, lines=lines)
    assert _ledger(session, award, "disbursed", "nonstate") == {2026: 200 * M, 2027: 80 * M}
    assert [
        (r.fiscal_year, r.committed_vnd, r.spent_vnd) for r in queries.counterpart(session, award)
    ] == [(2026, 200 * M, 200 * M), (2027, 100 * M, 80 * M)]

    with pytest.raises(RuleViolation, match="host still owes") as refused:
        money.liquidate(session, actor=manager, award_id=award.id)
    assert refused.value.params["due_vnd"] == 50 * M  # 1,000 paid − 950 spent
    with pytest.raises(RuleViolation, match="larger than what is owed"):
        money.record_refund(session, actor=manager, award_id=award.id, amount_vnd=60 * M)
    money.record_refund(session, actor=manager, award_id=award.id, amount_vnd=50 * M, payer="host")
    assert _ledger(session, award, "disbursed") == {THIS: 950 * M}  # paid − refunded

    done = money.liquidate(session, actor=manager, award_id=award.id)
    assert (done.kind, done.amount_vnd, done.status) == ("liquidation", 0, "paid")
    assert queries.balance(session, award).due_vnd == 0
    assert [row.balance_vnd for row in queries.ledger(session, award.id)][-1] == 950 * M
    with pytest.raises(InvalidTransition, match="liquidated"):
        money.record_refund(session, actor=manager, award_id=award.id, amount_vnd=1)
    paid = session.exec(select(AuditEntry).where(AuditEntry.object_type == "money_movement")).all()
    assert {"plan", "approve", "hold", "pay", "receive", "liquidate"} <= {e.action for e in paid}
    assert {e.actor_id for e in paid if e.action == "pay"} == {manager.id}


def test_an_allocation_that_would_go_negative_stops_the_contract_and_the_advance(make, session):
    manager = make.manager()
    fund = make.fund()
    proposal = _proposal(make, years=(THIS, THIS + 1), fund=fund)
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    session.add(FundAllocation(fund_id=fund.id, fiscal_year=THIS, amount_vnd=250 * M))
    session.flush()
    sign = dict(
        actor=manager,
        proposal_id=proposal.id,
        contract_number=f"HD-A{proposal.id}",
        contract_date=date(2026, 1, 10),
        start_date=date(THIS, 1, 15),
        end_date=date(THIS + 1, 12, 31),
    )
    with pytest.raises(RuleViolation, match="would go negative") as refused:
        svc.create_award(session, **sign)
    assert refused.value.params == {
        "year": THIS,
        "remaining_vnd": 250 * M,
        "adding_vnd": 700 * M,
        "after_vnd": -450 * M,
    }
    assert refused.value.violations[0].field == "allocation_override"
    award = svc.create_award(session, **sign, allocation_override="Dự toán bổ sung tháng 6")
    checks = queries.allocation_checks(session, fund.id, "disbursed", {THIS: 300 * M})
    assert (checks[0].remaining_vnd, checks[0].after_vnd) == (250 * M, -50 * M)
    with pytest.raises(RuleViolation, match="would go negative"):
        money.pay_advance(session, actor=manager, award_id=award.id)
    advance = money.pay_advance(
        session, actor=manager, award_id=award.id, allocation_override="Tạm ứng theo hợp đồng"
    )
    assert advance.allocation_override == "Tạm ứng theo hợp đồng"
    overrides = session.exec(
        select(AuditEntry).where(AuditEntry.action == "override_allocation")
    ).all()
    assert [(e.object_type, e.actor_id) for e in overrides] == [
        ("award", manager.id),
        ("money_movement", manager.id),
    ]
    assert "Dự toán bổ sung tháng 6" in overrides[0].detail


def test_a_tranche_tied_to_a_date_is_released_once_the_date_has_come(make, session, project):
    _, manager, award, _ = project
    tranche = money.plan_tranche(
        session, actor=manager, award_id=award.id, amount_vnd=100 * M, due_on=date(2026, 3, 1)
    )
    with pytest.raises(RuleViolation, match="its date has come"):
        money.release_tranche(
            session, actor=manager, movement_id=tranche.id, today=date(2026, 2, 28)
        )
    money.release_tranche(session, actor=manager, movement_id=tranche.id, today=date(2026, 3, 1))
    assert tranche.status == "paid"


def test_another_funds_manager_sees_no_money_of_the_project(make, session, project):
    from funds.errors import NotFound

    _, _, award, _ = project
    outsider = make.manager_of(make.fund())
    with pytest.raises(NotFound):
        money.pay_advance(session, actor=outsider, award_id=award.id)


def test_the_migration_moves_the_earlier_tranches_into_the_ledger(
    database_url, make, session, project
):
    """Tranches as the 0023 schema had them: held of an open milestone → planned, held of an
    accepted milestone → held, released → paid in the year it was released (Vietnam time)."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from portal.cli import alembic_config

    _, _, award, (m1, m2) = project
    award_id, first, second = award.id, m1.id, m2.id
    session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0023_hosts")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM tranche"))
        conn.execute(text("UPDATE milestone SET status = 'accepted' WHERE id = :m"), {"m": first})
        for milestone, status, released in (
            (first, "released", "2026-12-31 18:00:00"),  # 1 Jan 2027 in Vietnam
            (first, "held", None),
            (second, "held", None),
        ):
            conn.execute(
                text(
                    "INSERT INTO tranche (award_id, milestone_id, amount_vnd, status, "
                    "released_at) VALUES (:a, :m, 100, :s, :r)"
                ),
                {"a": award_id, "m": milestone, "s": status, "r": released},
            )
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kind, status, fiscal_year, milestone_id FROM money_movement ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("tranche", "paid", 2027, first),
        ("tranche", "held", 2026, first),
        ("tranche", "planned", 2027, second),
    ]
