"""Progress reports per reporting period on a real database: the services, the payment hold,
the reminders and the migration that gives existing reports their period.

The reporting obligation of the funding contract (Law 93/2025/QH15, law-93-2025-qh15, and the
fund's contract; docs/projects.md "Reporting periods"): a period is met only by an accepted
report, a returned one does not advance the schedule, and the fund pays against accepted
reports, so a period past due without one holds the next payment.
"""

from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from funds.errors import RuleViolation
from funds.legal.models import LegalSetting
from funds.projects import queries
from funds.projects import services as svc
from funds.projects.bulk import due_reminders
from funds.projects.models import ProgressReport
from funds.projects.money.models import Movement
from funds.proposals.services import record_decision
from portal.cli import alembic_config

DUE_1, DUE_2 = date(2026, 7, 15), date(2027, 1, 15)


@pytest.fixture
def project(make, session):
    """A project from 15 Jan 2026 to 31 Dec 2027 (periods due 15 Jul 2026, 15 Jan 2027,
    15 Jul 2027) with two milestones and their tranches."""
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, submit=True)
    manager = make.manager()
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number=f"HD-P{proposal.id}",
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
        for task, due, amount in (("Một", DUE_1, 600_000_000), ("Hai", DUE_2, 400_000_000))
    ]
    session.commit()
    return pi, manager, award, milestones


def _file(session, pi, award, milestone, today):
    return svc.submit_progress_report(
        session,
        actor=pi,
        award_id=award.id,
        milestone_id=milestone.id,
        progress="Tiến độ",
        spending_vnd=100_000_000,
        today=today,
    )


def _review(session, manager, report, accept, today):
    return svc.review_progress_report(
        session, actor=manager, report_id=report.id, accept=accept, today=today
    )


def _tranches(session):
    """The tranches' states on the ledger of movements (funds/projects/money)."""
    rows = session.exec(select(Movement).where(Movement.kind == "tranche").order_by(Movement.id))
    return [t.status for t in rows.all()]


def test_a_pre_filed_second_report_is_refused_and_the_schedule_stays_on_period_one(
    make, session, project
):
    pi, _, award, (m1, m2) = project
    first = _file(session, pi, award, m1, date(2026, 6, 15))
    assert (first.period, first.due_date) == (1, DUE_1)
    for milestone in (m1, m2):
        with pytest.raises(RuleViolation, match="awaiting review") as refused:
            _file(session, pi, award, milestone, date(2026, 6, 15))
        assert refused.value.params == {"period": 1, "due": DUE_1}
    assert len(session.exec(select(ProgressReport)).all()) == 1
    shown = queries.next_report(session, award, date(2027, 1, 20))
    assert (shown.period, shown.due, shown.payment_held) == (1, DUE_1, True)


def test_a_report_before_the_filing_window_is_refused(make, session, project):
    pi, _, award, (m1, _) = project
    with pytest.raises(RuleViolation, match="can be filed from") as refused:
        _file(session, pi, award, m1, date(2026, 1, 15))
    assert refused.value.params["opens"] == date(2026, 6, 15)


def test_a_returned_report_does_not_advance_and_the_payment_stays_held(make, session, project):
    pi, manager, award, (m1, _) = project
    returned = _review(
        session, manager, _file(session, pi, award, m1, date(2026, 7, 1)), False, date(2026, 7, 20)
    )
    assert returned.status == "returned"
    shown = queries.next_report(session, award, date(2026, 7, 20))
    assert (shown.period, shown.overdue, shown.payment_held) == (1, True, True)
    assert _tranches(session) == ["planned", "planned"]
    again = _file(session, pi, award, m1, date(2026, 7, 21))
    assert again.period == 1
    _review(session, manager, again, True, date(2026, 7, 25))
    assert _tranches(session) == ["paid", "planned"]
    shown = queries.next_report(session, award, date(2026, 7, 25))
    assert (shown.period, shown.due, shown.payment_held) == (2, DUE_2, False)


def test_an_accepted_report_advances_to_the_next_period_within_its_window(make, session, project):
    pi, manager, award, (m1, m2) = project
    _review(
        session, manager, _file(session, pi, award, m1, date(2026, 7, 1)), True, date(2026, 7, 2)
    )
    with pytest.raises(RuleViolation, match="can be filed from"):
        _file(session, pi, award, m2, date(2026, 7, 3))
    assert _file(session, pi, award, m2, date(2026, 12, 16)).period == 2


def test_the_filing_window_is_the_legal_setting(make, session, project):
    pi, manager, award, (m1, m2) = project
    session.add(LegalSetting(key="reports.filing_window_days", value="200"))
    _review(
        session, manager, _file(session, pi, award, m1, date(2026, 7, 1)), True, date(2026, 7, 2)
    )
    assert _file(session, pi, award, m2, date(2026, 7, 3)).period == 2  # 200 days ahead


def test_a_period_past_due_holds_the_tranche_of_an_earlier_accepted_report(make, session, project):
    pi, manager, award, (m1, m2) = project
    late = date(2027, 2, 1)  # periods 1 and 2 both past due
    _review(session, manager, _file(session, pi, award, m1, late), True, late)
    assert m1.status == "accepted"
    assert _tranches(session) == ["held", "planned"]  # period 2 has no accepted report yet
    _review(session, manager, _file(session, pi, award, m2, late), True, late)
    assert _tranches(session) == ["paid", "paid"]
    assert svc.disbursed_in(session, award) == 1_000_000_000


def test_the_database_keeps_one_live_report_per_period(make, session, project):
    _, _, award, _ = project
    for status in ("returned", "returned", "submitted"):
        session.add(ProgressReport(award_id=award.id, period=1, due_date=DUE_1, status=status))
    session.flush()
    session.add(ProgressReport(award_id=award.id, period=1, due_date=DUE_1, status="accepted"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_reminders_owed_follow_the_periods_met(make, session, project):
    pi, manager, award, (m1, _) = project

    def kinds(today):
        return [(r.kind, r.due) for r in due_reminders(session, today) if r.award_id == award.id]

    report = _file(session, pi, award, m1, date(2026, 6, 20))
    assert kinds(date(2026, 7, 20)) == []  # filed, awaiting the manager
    _review(session, manager, report, False, date(2026, 7, 20))
    assert kinds(date(2026, 7, 20)) == [("progress_overdue", DUE_1)]  # returned: still owed
    _review(
        session, manager, _file(session, pi, award, m1, date(2026, 7, 21)), True, date(2026, 7, 22)
    )
    assert kinds(date(2026, 7, 22)) == []
    assert kinds(date(2027, 1, 5)) == [("progress_due", DUE_2)]


def test_the_migration_gives_existing_reports_their_period_in_order_of_filing(
    database_url, make, session, project
):
    """Reports as the old schema had them (pre-filed ones included): accepted and submitted
    reports take successive periods, a returned one stays on the period it was filed for."""
    _, _, award, _ = project
    session.close()
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0017_indicators")
    engine = create_engine(database_url)
    statuses = ["returned", "accepted", "submitted", "submitted", "submitted"]
    with engine.begin() as conn:
        for n, status in enumerate(statuses, start=1):
            conn.execute(
                text(
                    "INSERT INTO progress_report (award_id, due_date, status, progress, risks, "
                    "manager_comment, submitted_at) VALUES (:a, :due, :s, '', '', '', :at)"
                ),
                {"a": award.id, "due": "2027-12-31", "s": status, "at": f"2026-0{n}-01 00:00:00"},
            )
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT status, period, due_date FROM progress_report ORDER BY submitted_at")
        ).all()
    engine.dispose()
    assert [(s, p, str(d)[:10]) for s, p, d in rows] == [
        ("returned", 1, "2026-07-15"),
        ("accepted", 1, "2026-07-15"),
        ("submitted", 2, "2027-01-15"),
        ("submitted", 3, "2027-07-15"),
        ("submitted", 4, "2027-12-31"),  # beyond the schedule: kept, outside it
    ]
