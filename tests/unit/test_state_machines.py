"""Every state machine's table: each allowed move, and moves it refuses."""

from types import SimpleNamespace

import pytest

from funds.appraisal.rules import APPRAISAL
from funds.contracts.rules import CONTRACT
from funds.errors import InvalidTransition
from funds.projects.money.rules import MOVEMENT
from funds.projects.rules import (
    AWARD,
    CHANGE,
    FINAL_REPORT,
    MILESTONE,
    REPORT,
    final_report_status,
    next_report,
    report_periods,
)
from funds.proposals.rules import PROPOSAL
from funds.states import Machine
from funds.submission.rules import SUBMISSION
from reviews.assignment.rules import ASSIGNMENT, REVIEW

MACHINES = [
    PROPOSAL,
    SUBMISSION,
    ASSIGNMENT,
    REVIEW,
    AWARD,
    MILESTONE,
    MOVEMENT,
    REPORT,
    CHANGE,
    FINAL_REPORT,
    APPRAISAL,
    CONTRACT,
]

ALLOWED = [
    (PROPOSAL, "draft", "submitted"),
    (PROPOSAL, "submitted", "withdrawn"),
    (PROPOSAL, "submitted", "funded"),
    (PROPOSAL, "submitted", "not_funded"),
    (PROPOSAL, "submitted", "draft"),
    (PROPOSAL, "withdrawn", "draft"),
    (PROPOSAL, "submitted", "shortlisted"),  # a two-stage call's pre-proposal
    (PROPOSAL, "submitted", "not_shortlisted"),
    (SUBMISSION, "current", "withdrawn"),
    (SUBMISSION, "current", "superseded"),
    (ASSIGNMENT, "assigned", "declined"),
    (ASSIGNMENT, "assigned", "submitted"),
    (ASSIGNMENT, "submitted", "assigned"),
    (REVIEW, "draft", "submitted"),
    (REVIEW, "submitted", "draft"),
    (AWARD, "active", "stopped"),
    (AWARD, "active", "closed"),
    (AWARD, "stopped", "closed"),
    (MILESTONE, "open", "accepted"),
    (MOVEMENT, "planned", "approved"),
    (MOVEMENT, "planned", "held"),
    (MOVEMENT, "planned", "cancelled"),
    (MOVEMENT, "held", "approved"),
    (MOVEMENT, "held", "cancelled"),
    (MOVEMENT, "approved", "paid"),
    (MOVEMENT, "approved", "held"),
    (MOVEMENT, "approved", "cancelled"),
    (REPORT, "submitted", "accepted"),
    (REPORT, "submitted", "returned"),
    (CHANGE, "pending", "approved"),
    (CHANGE, "pending", "refused"),
    (FINAL_REPORT, "due", "filed"),
    (FINAL_REPORT, "filed", "filed"),
    (FINAL_REPORT, "filed", "evaluated"),
    (APPRAISAL, "in_progress", "with_pi"),
    (APPRAISAL, "with_pi", "answered"),
    (APPRAISAL, "answered", "approved"),
    (APPRAISAL, "answered", "in_progress"),
    (CONTRACT, "draft", "awaiting_signatures"),
    (CONTRACT, "draft", "cancelled"),
    (CONTRACT, "awaiting_signatures", "in_force"),
    (CONTRACT, "awaiting_signatures", "draft"),
    (CONTRACT, "awaiting_signatures", "cancelled"),
]

REFUSED = [
    (PROPOSAL, "draft", "funded"),
    (PROPOSAL, "funded", "not_funded"),
    (PROPOSAL, "not_funded", "submitted"),
    (PROPOSAL, "withdrawn", "submitted"),
    (PROPOSAL, "shortlisted", "funded"),  # the full proposal is funded, not its outline
    (PROPOSAL, "not_shortlisted", "submitted"),
    (SUBMISSION, "withdrawn", "current"),
    (SUBMISSION, "superseded", "withdrawn"),
    (ASSIGNMENT, "declined", "assigned"),
    (ASSIGNMENT, "submitted", "declined"),
    (ASSIGNMENT, "declined", "submitted"),
    (REVIEW, "draft", "draft"),
    (AWARD, "closed", "active"),
    (AWARD, "stopped", "active"),
    (AWARD, "active", "active"),
    (MILESTONE, "accepted", "open"),
    (MILESTONE, "accepted", "accepted"),
    (MOVEMENT, "paid", "held"),
    (MOVEMENT, "planned", "paid"),
    (MOVEMENT, "cancelled", "planned"),
    (REPORT, "accepted", "returned"),
    (REPORT, "returned", "accepted"),
    (CHANGE, "approved", "refused"),
    (CHANGE, "refused", "pending"),
    (FINAL_REPORT, "due", "evaluated"),
    (FINAL_REPORT, "evaluated", "filed"),
    (PROPOSAL, "nonsense", "draft"),
    (AWARD, "active", "nonsense"),
    (APPRAISAL, "in_progress", "approved"),
    (APPRAISAL, "approved", "in_progress"),
    (APPRAISAL, "with_pi", "in_progress"),
    (CONTRACT, "draft", "in_force"),
    (CONTRACT, "in_force", "cancelled"),
    (CONTRACT, "cancelled", "draft"),
]


@pytest.mark.parametrize(
    "machine, current, target", ALLOWED, ids=[f"{m.name}:{a}->{b}" for m, a, b in ALLOWED]
)
def test_the_table_allows_the_move(machine, current, target):
    assert machine.can_move(current, target)
    thing = SimpleNamespace(status=current)
    assert machine.move(thing, target) == current
    assert thing.status == target


@pytest.mark.parametrize(
    "machine, current, target", REFUSED, ids=[f"{m.name}:{a}->{b}" for m, a, b in REFUSED]
)
def test_the_table_refuses_the_move_and_leaves_the_state(machine, current, target):
    assert not machine.can_move(current, target)
    thing = SimpleNamespace(status=current)
    with pytest.raises(InvalidTransition) as refused:
        machine.move(thing, target)
    assert thing.status == current
    assert refused.value.message == machine.refusal


@pytest.mark.parametrize("machine", MACHINES, ids=[m.name for m in MACHINES])
def test_every_allowed_move_is_listed_in_these_tests(machine):
    listed = {(a, b) for m, a, b in ALLOWED if m is machine}
    table = {(str(a), str(b)) for a, targets in machine.transitions.items() for b in targets}
    assert listed == table


@pytest.mark.parametrize("machine", MACHINES, ids=[m.name for m in MACHINES])
def test_every_state_has_a_label_and_database_values_stay_strings(machine):
    for state in machine.states:
        assert machine.label(state.value)
        assert isinstance(state, str)
        assert state == state.value


def test_a_service_names_its_own_refusal():
    with pytest.raises(InvalidTransition) as refused:
        CHANGE.check("approved", "refused", "Only a pending request can be decided.")
    assert refused.value.message == "Only a pending request can be decided."


def test_a_table_with_a_state_left_out_is_refused_when_written():
    with pytest.raises(ValueError, match="every state needs its moves and its label"):
        Machine(
            "broken",
            type(AWARD.state("active")),
            {AWARD.state("active"): frozenset()},
            AWARD.labels,
        )


@pytest.mark.parametrize(
    "filed, closed, status",
    [
        (False, False, "due"),
        (True, False, "filed"),
        (True, True, "evaluated"),
    ],
)
def test_the_final_report_status_follows_the_closeout(filed, closed, status):
    assert final_report_status(filed, closed) == status


@pytest.mark.parametrize(
    "award_status, today, overdue",
    [
        ("active", "2027-07-02", True),
        ("active", "2027-07-01", False),
        ("closed", "2027-07-02", False),
        ("stopped", "2027-07-02", False),
    ],
)
def test_only_a_running_project_has_an_overdue_report(award_status, today, overdue):
    from datetime import date

    periods = report_periods(
        date(2027, 1, 1), date(2028, 12, 31), [], today=date.fromisoformat(today)
    )
    found = next_report(periods, award_status=award_status)
    assert found.due == date(2027, 7, 1)
    assert found.overdue is overdue


def _project(award_status: str, *, manager: bool, pi: bool):
    """An award, its proposal in a fund, and a user who manages the fund and/or is the PI."""
    user = SimpleNamespace(id=7, is_active=True, has_role=lambda *roles: manager)
    fund = SimpleNamespace(manager_rows=[SimpleNamespace(user_id=7)] if manager else [])
    proposal = SimpleNamespace(
        pi_id=7 if pi else 8, status="funded", call=SimpleNamespace(fund=fund)
    )
    return SimpleNamespace(status=award_status), proposal, user


@pytest.mark.parametrize(
    "award_status, manager, pi, expected",
    [
        ("active", True, False, (True, False, False, False)),
        ("active", False, True, (False, True, True, True)),
        ("closed", True, False, (False, False, False, False)),
        ("closed", False, True, (False, False, False, False)),
        ("stopped", False, True, (False, False, False, False)),
    ],
)
def test_the_project_page_offers_what_the_award_state_and_the_user_allow(
    award_status, manager, pi, expected
):
    from funds.projects.permissions import project_actions

    award, proposal, user = _project(award_status, manager=manager, pi=pi)
    actions = project_actions(award, proposal, user, closeout=None, reports=[], changes=[])
    assert (
        actions.can_add_milestone,
        actions.can_file_report,
        actions.can_request_change,
        actions.can_submit_final_report,
    ) == expected


@pytest.mark.parametrize(
    "manager, report_status, change_status, reviewable, decidable",
    [
        (True, "submitted", "pending", {1}, {2}),
        (True, "accepted", "approved", set(), set()),
        (True, "returned", "refused", set(), set()),
        (False, "submitted", "pending", set(), set()),
    ],
)
def test_only_the_funds_managers_review_waiting_reports_and_decide_pending_changes(
    manager, report_status, change_status, reviewable, decidable
):
    from funds.projects.permissions import project_actions

    award, proposal, user = _project("active", manager=manager, pi=not manager)
    actions = project_actions(
        award,
        proposal,
        user,
        closeout=None,
        reports=[SimpleNamespace(id=1, status=report_status)],
        changes=[SimpleNamespace(id=2, status=change_status)],
    )
    assert (actions.reviewable_reports, actions.decidable_changes) == (reviewable, decidable)
