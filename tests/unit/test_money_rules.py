"""Pure rules of an award's money and of change requests, as tables."""

from datetime import date
from fractions import Fraction

import pytest

from funds.projects.changes.rules import (
    budget_move_violation,
    decision_due,
    decision_overdue,
    extension_refusal,
    next_annex,
    within_limit,
)
from funds.projects.money.rules import (
    AllocationCheck,
    Balance,
    Paid,
    SpentLine,
    advance_amount,
    allocation_checks,
    allocation_refusal,
    liquidation_refusal,
    needs_explanation,
    net_disbursed_by_year,
    recovered_beyond_unused,
    running_balance,
    settlement_violations,
)

M = 1_000_000


@pytest.mark.parametrize(
    "committed, share, advance",
    [
        (1_000 * M, Fraction(3, 10), 300 * M),
        (1_000_000_001, Fraction(3, 10), 300_000_000),  # 300,000,000.3 → down
        (5, Fraction(1, 2), 3),  # 2.5 → half up
        (0, Fraction(3, 10), 0),
    ],
)
def test_the_advance_is_the_funds_share_of_the_state_money_to_the_dong(committed, share, advance):
    assert advance_amount(committed, share) == advance


@pytest.mark.parametrize(
    "movements, net",
    [
        ([Paid("advance", 300, 2026), Paid("tranche", 200, 2027)], {2026: 300, 2027: 200}),
        # a refund offsets its own year first, then the years before it
        (
            [Paid("advance", 300, 2026), Paid("tranche", 200, 2027), Paid("refund", 250, 2027)],
            {2026: 250, 2027: 0},
        ),
        # a refund in a later year with no payment of its own
        ([Paid("advance", 300, 2026), Paid("refund", 100, 2028)], {2026: 200}),
        ([Paid("liquidation", 0, 2028), Paid("final_payment", 50, 2028)], {2028: 50}),
    ],
)
def test_the_ledger_is_paid_minus_refunded_per_year_never_negative(movements, net):
    assert net_disbursed_by_year(movements) == net


def test_a_refund_larger_than_everything_paid_is_a_programming_error():
    with pytest.raises(ValueError, match="larger than everything paid"):
        net_disbursed_by_year([Paid("advance", 100, 2026), Paid("refund", 101, 2026)])


@pytest.mark.parametrize(
    "allocated, used, adding, exceeded, refused_without_reason",
    [
        ({2026: 1_000}, {2026: 600}, {2026: 400}, [False], False),
        ({2026: 1_000}, {2026: 600}, {2026: 401}, [True], True),
        ({}, {2026: 600}, {2026: 10_000}, [False], False),  # no allocation: not checked
        ({2026: 1_000, 2027: 100}, {}, {2026: 500, 2027: 200}, [False, True], True),
    ],
)
def test_the_allocation_stops_what_would_go_negative_unless_a_reason_is_given(
    allocated, used, adding, exceeded, refused_without_reason
):
    checks = allocation_checks(allocated, used, adding)
    assert [c.exceeded for c in checks] == exceeded
    assert (allocation_refusal(checks, "") is not None) == refused_without_reason
    assert allocation_refusal(checks, "Bổ sung dự toán") is None


def test_an_allocation_check_gives_the_figures_shown_before_signing():
    check = AllocationCheck(2026, 1_000, 700, 500)
    assert (check.remaining_vnd, check.after_vnd, check.exceeded) == (300, -200, True)
    refusal = allocation_refusal([check], "  ")
    assert refusal.params == {
        "year": 2026,
        "remaining_vnd": 300,
        "adding_vnd": 500,
        "after_vnd": -200,
    }


@pytest.mark.parametrize(
    "approved, spent, tolerance, explain",
    [
        (300, 300, Fraction(5, 100), False),
        (300, 315, Fraction(5, 100), False),  # exactly 5%
        (300, 316, Fraction(5, 100), True),
        (300, 250, Fraction(5, 100), True),
        (0, 1, Fraction(5, 100), True),  # nothing approved: always explained
        (300, 250, Fraction(0), True),
    ],
)
def test_a_difference_beyond_the_tolerance_is_explained(approved, spent, tolerance, explain):
    assert needs_explanation(approved, spent, tolerance) == explain


def test_the_settlement_names_the_line_to_explain_and_asks_for_every_line():
    approved = {("personnel", 2026, "state"): 400, ("equipment", 2026, "state"): 300}
    found = settlement_violations(
        approved, [SpentLine("equipment", 2026, "state", 200)], Fraction(5, 100)
    )
    assert [v.field for v in found] == ["lines-0", "lines"]
    assert found[0].params["spent_vnd"] == 200
    assert (
        settlement_violations(
            approved,
            [
                SpentLine("personnel", 2026, "state", 400),
                SpentLine("equipment", 2026, "state", 200, "Giá thấp hơn"),
            ],
            Fraction(5, 100),
        )
        == []
    )
    twice = [SpentLine("personnel", 2026, "state", 400)] * 2
    found = settlement_violations(approved, twice, Fraction(1))
    assert [v.field for v in found] == ["lines-1", "lines"]  # twice, and equipment missing
    assert "once" in found[0].message


@pytest.mark.parametrize(
    "balance, due",
    [
        (Balance(1_000, 0, 950, 0, False), 50),  # the host returns the unspent 50
        (Balance(1_000, 50, 950, 0, False), 0),
        (Balance(800, 0, 900, 0, False), -100),  # the fund owes 100
        (Balance(1_000, 0, 900, 30, False), 130),  # 30 used outside purpose recovered
        (Balance(1_000, 0, 700, 0, True), 0),  # a lump sum that passed keeps its savings
    ],
)
def test_the_balance_says_who_owes_what(balance, due):
    assert balance.due_vnd == due


@pytest.mark.parametrize(
    "refund, disbursed, used, recovered",
    [(100, 1_000, 900, 0), (150, 1_000, 900, 50), (1_000, 1_000, 900, 900), (0, 1_000, 700, -300)],
)
def test_what_the_closeout_recovers_beyond_the_unused_balance(refund, disbursed, used, recovered):
    assert recovered_beyond_unused(refund, disbursed, used) == recovered


def test_liquidation_needs_the_closeout_the_settlement_and_a_zero_balance():
    assert liquidation_refusal(None, False, False).field == "award"
    assert liquidation_refusal(Balance(1, 0, 1, 0, False), False, True).field == "settlement"
    owed = liquidation_refusal(Balance(1_000, 0, 950, 0, False), True, True)
    assert owed.params["due_vnd"] == 50
    assert liquidation_refusal(Balance(900, 0, 950, 0, False), True, True).params["owed_vnd"] == 50
    assert liquidation_refusal(Balance(1_000, 50, 950, 0, False), True, True) is None


def test_the_running_balance_counts_paid_movements_only():
    rows = [
        ("advance", "paid", 300),
        ("tranche", "planned", 200),
        ("refund", "paid", 50),
        ("liquidation", "paid", 0),
    ]
    assert running_balance(rows) == [300, 300, 250, 250]


@pytest.mark.parametrize(
    "approved, days, end, months, count, refused",
    [
        ([], 90, date(2027, 12, 31), 12, 2, None),
        ([90], 300, date(2028, 3, 30), 12, 2, "months"),
        ([90], 200, date(2028, 3, 30), 12, 2, None),
        ([90, 200], 10, date(2028, 10, 16), 12, 2, "count"),
        ([], 1, date(2027, 12, 31), 12, 0, "count"),
        ([], 95, date(2027, 12, 31), 3, 2, "months"),
    ],
)
def test_extensions_are_capped(approved, days, end, months, count, refused):
    found = extension_refusal(
        approved_days=approved, days=days, end=end, max_months=months, max_count=count
    )
    assert (None if found is None else next(iter(found.params))) == refused


@pytest.mark.parametrize(
    "source, target, amount, field",
    [
        ("personnel", "travel", 40, None),
        ("personnel", "personnel", 40, "to_category"),
        ("travel", "personnel", 40, "from_category"),
        ("personnel", "travel", 401, "amount_vnd"),
        ("personnel", "travel", 0, "amount_vnd"),
        ("personnel", "", 10, "to_category"),
    ],
)
def test_a_budget_move_leaves_a_line_of_the_year_for_another(source, target, amount, field):
    found = budget_move_violation({"personnel": 400}, source, target, amount)
    assert (found.field if found else None) == field


@pytest.mark.parametrize(
    "line, amount, share, alone",
    [
        (400, 40, Fraction(1, 10), True),
        (400, 41, Fraction(1, 10), False),
        (0, 1, Fraction(1), False),
    ],
)
def test_a_move_within_the_funds_share_of_the_line_needs_no_approval(line, amount, share, alone):
    assert within_limit(line, amount, share) == alone


def test_the_deadline_annexes_and_overdue_decisions():
    assert decision_due(date(2027, 6, 1), 30) == date(2027, 7, 1)
    assert decision_overdue("pending", date(2027, 7, 1), date(2027, 7, 2))
    assert not decision_overdue("pending", date(2027, 7, 1), date(2027, 7, 1))
    assert not decision_overdue("approved", date(2027, 7, 1), date(2027, 8, 1))
    assert next_annex([None, None]) == 1
    assert next_annex([1, None, 3]) == 4
