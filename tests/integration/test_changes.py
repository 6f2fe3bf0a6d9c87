"""Change requests do what they say: a new PI reports while the PI before reads the history;
a budget move changes the lines within the fund's limit or after approval; extensions are
capped; a suspension or termination stops the funding and closes under the regime; each
approval is the contract's next annex, decided within the fund's deadline."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.errors import InvalidTransition, NotAllowed, RuleViolation
from funds.legal.models import LegalSetting
from funds.portfolio.models import PortfolioLine
from funds.projects import closeout as co
from funds.projects import queries as project_queries
from funds.projects import services as svc
from funds.projects.changes import queries
from funds.projects.changes import services as changes
from funds.projects.models import AwardBudgetLine
from funds.projects.money import queries as money_queries
from funds.projects.money import services as money
from funds.projects.regimes.rules import ALL_YES, Evaluation, Rating
from funds.proposals.models import Proposal
from funds.proposals.services import record_decision

M = 1_000_000
ASKED = date(2027, 6, 1)  # more than 60 days before the end (31 Dec 2027)


@pytest.fixture
def project(make, session):
    manager = make.manager()
    pi = make.user("applicant", name="Nguyễn Văn An")
    proposal = make.proposal(
        pi=pi,
        submit=True,
        budget_lines=[("personnel", 2026, 400 * M), ("equipment", 2026, 300 * M)],
    )
    record_decision(session, actor=manager, proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=manager,
        proposal_id=proposal.id,
        contract_number=f"HD-C{proposal.id}",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    milestone = svc.add_milestone(
        session,
        actor=manager,
        award_id=award.id,
        owner="PI",
        task="Thiết kế",
        due_date=date(2026, 7, 15),
        deliverable="Bản thiết kế",
        tranche_vnd=200 * M,
    )
    session.commit()
    return pi, manager, award, milestone


def _ask(session, pi, award, kind, **typed):
    return changes.request_change(
        session, actor=pi, award_id=award.id, kind=kind, reason="Lý do", today=ASKED, **typed
    )


def _lines(session, award):
    return {
        line.category: line.amount_vnd
        for line in session.exec(
            select(AwardBudgetLine).where(
                AwardBudgetLine.award_id == award.id, AwardBudgetLine.source == "state"
            )
        ).all()
    }


def test_a_new_pi_reports_and_the_pi_before_reads_the_history(make, session, project):
    pi, manager, award, milestone = project
    new_pi = make.user("applicant", name="Trần Thị Bình", email="binh@example.org")
    with pytest.raises(RuleViolation, match="No active account"):
        _ask(session, pi, award, "pi_change", new_pi_email="nobody@example.org")
    change = _ask(session, pi, award, "pi_change", new_pi_email="Binh@example.org")
    assert change.due_on == ASKED + timedelta(days=30)
    changes.decide_change(session, actor=manager, change_id=change.id, approve=True)
    assert (change.old_pi_id, change.new_pi_id, change.annex_number) == (pi.id, new_pi.id, 1)
    assert change.annex_text == "principal investigator: Trần Thị Bình"
    report = svc.submit_progress_report(
        session,
        actor=new_pi,
        award_id=award.id,
        milestone_id=milestone.id,
        progress="Tiếp nhận",
        spending_vnd=0,
        today=date(2026, 7, 1),
    )
    assert report.period == 1
    seen, _ = svc.get_project_for(session, award_id=award.id, actor=pi)  # reads the history
    assert seen.id == award.id
    listed = [a.id for a, _p in project_queries.projects_for(session, pi.id, fund_ids=[])]
    assert listed == [award.id]  # and finds it in their list of projects
    with pytest.raises(NotAllowed):
        svc.submit_progress_report(
            session,
            actor=pi,
            award_id=award.id,
            milestone_id=None,
            progress="x",
            spending_vnd=0,
            today=date(2026, 7, 1),
        )
    with pytest.raises(NotAllowed):
        _ask(session, pi, award, "scope")


def test_a_budget_move_within_the_limit_takes_effect_and_a_larger_one_waits(make, session, project):
    pi, manager, award, _ = project
    small = _ask(
        session,
        pi,
        award,
        "budget_move",
        from_category="personnel",
        to_category="travel",
        move_year=2026,
        amount_vnd=40 * M,
    )  # 10% of the 400 M line: no approval needed
    assert (small.status, small.decided_by, small.annex_number) == ("approved", None, 1)
    assert _lines(session, award) == {"personnel": 360 * M, "equipment": 300 * M, "travel": 40 * M}
    large = _ask(
        session,
        pi,
        award,
        "budget_move",
        from_category="equipment",
        to_category="personnel",
        move_year=2026,
        amount_vnd=100 * M,
    )
    assert large.status == "pending"
    assert _lines(session, award)["equipment"] == 300 * M
    changes.decide_change(session, actor=manager, change_id=large.id, approve=True)
    assert _lines(session, award) == {"personnel": 460 * M, "equipment": 200 * M, "travel": 40 * M}
    assert large.annex_number == 2
    with pytest.raises(RuleViolation, match="between 1 đồng and the line") as refused:
        _ask(
            session,
            pi,
            award,
            "budget_move",
            from_category="travel",
            to_category="personnel",
            move_year=2026,
            amount_vnd=41 * M,
        )
    assert refused.value.violations[0].field == "amount_vnd"
    committed = session.exec(
        select(PortfolioLine).where(
            PortfolioLine.project_code == award.contract_number, PortfolioLine.basis == "committed"
        )
    ).all()
    assert [(c.fiscal_year, c.amount_vnd) for c in committed] == [(2026, 700 * M)]


def test_extensions_are_capped_in_number_and_in_months(make, session, project):
    pi, manager, award, _ = project
    first = _ask(session, pi, award, "extension", extension_days=90)
    changes.decide_change(session, actor=manager, change_id=first.id, approve=True)
    assert award.end_date == date(2028, 3, 30)
    with pytest.raises(RuleViolation, match="move the end date at most") as refused:
        _ask(session, pi, award, "extension", extension_days=300)
    assert (refused.value.params["months"], refused.value.params["latest"]) == (
        12,
        date(2028, 12, 31),
    )
    second = _ask(session, pi, award, "extension", extension_days=200)
    changes.decide_change(session, actor=manager, change_id=second.id, approve=True)
    with pytest.raises(RuleViolation, match="extended at most") as refused:
        _ask(session, pi, award, "extension", extension_days=10)
    assert refused.value.params == {"count": 2}
    session.add(LegalSetting(key="changes.extension_max_count", value="3"))
    session.flush()
    assert _ask(session, pi, award, "extension", extension_days=10).status == "pending"


@pytest.mark.parametrize("kind", ["termination", "suspension"])
def test_stopping_the_funding_stops_the_award_and_closes_it_under_its_regime(
    make, session, project, kind
):
    pi, manager, award, _ = project
    money.pay_advance(session, actor=manager, award_id=award.id)  # 210 M of 700 M
    with pytest.raises(RuleViolation, match="between 0 and the amount disbursed"):
        _ask(session, pi, award, kind, used_vnd=300 * M)
    change = _ask(session, pi, award, kind, used_vnd=150 * M)
    changes.decide_change(session, actor=manager, change_id=change.id, approve=True)
    assert (award.status, change.annex_number) == ("stopped", 1)
    statuses = [(m.kind, m.status) for m in money_queries.movements(session, award.id)]
    assert statuses == [("tranche", "cancelled"), ("advance", "paid")]
    closeout = co.evaluate_and_close(
        session,
        actor=manager,
        award_id=award.id,
        evaluation=Evaluation(Rating.FAIL, ALL_YES, evidence="Biên bản", conclusion="Đúng"),
    )
    assert (closeout.outcome, closeout.refund_vnd) == ("compliant_failure", 60 * M)
    assert money_queries.balance(session, award).due_vnd == 60 * M


def test_a_change_of_host_moves_the_project_and_a_late_decision_is_overdue(make, session, project):
    from funds.projects.changes.rules import decision_overdue

    pi, manager, award, _ = project
    new_host = make.host(name_vi="Viện Vật lý")
    with pytest.raises(RuleViolation):
        _ask(session, pi, award, "host_change")  # no organisation chosen
    change = _ask(session, pi, award, "host_change", new_host_id=new_host.id)
    rows = queries.change_rows(session, award, ASKED + timedelta(days=31))
    assert [r.overdue for r in rows] == [True]
    assert not decision_overdue(change.status, change.due_on, ASKED + timedelta(days=30))
    changes.decide_change(session, actor=manager, change_id=change.id, approve=True, note="PL 01")
    assert queries.current_host(session, award) == "Viện Vật lý"
    proposal = session.get(Proposal, award.proposal_id)
    assert proposal.host_id == new_host.id  # the new host's officers see the project now
    assert change.new_host_id == new_host.id
    assert change.annex_text == "PL 01"
    with pytest.raises(InvalidTransition):
        changes.decide_change(session, actor=manager, change_id=change.id, approve=False)
    assert session.get(User, pi.id).id == pi.id
