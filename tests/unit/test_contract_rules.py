"""Pure rules of the appraisal and of contracts, as tables: the template's placeholders, the
contract number, the payment schedule, the approved value of an appraised line, the parties
that bring a contract into force."""

from datetime import date
from fractions import Fraction

import pytest

from funds.appraisal.rules import (
    BudgetProposal,
    WorkProposal,
    WorkValues,
    answer_violations,
    approved_amount,
    proposal_violations,
)
from funds.contracts import rules


@pytest.mark.parametrize(
    "body, refused",
    [
        ("Số ${contract_number}, ${host_name}", False),
        ("Giá 100$$", False),
        ("", True),
        ("${__class__.__mro__}", True),
        ("${Contract_Number}", True),  # lowercase names only
        ("${bogus}", True),
        ("{{ config }} $", True),  # a lone $ is malformed
        ("{{ config.SECRET_KEY }}", False),  # plain text: nothing is evaluated
    ],
)
def test_a_template_accepts_only_known_placeholders(body, refused):
    assert bool(rules.template_violations(body)) is refused


def test_filling_is_one_pass_and_never_evaluates():
    text = rules.fill_template(
        "${host_name} / ${pi_name}", {"host_name": "${pi_name}", "pi_name": "TS. An"}
    )
    assert text == "${pi_name} / TS. An"


@pytest.mark.parametrize(
    "code, year, n, number",
    [("nafosted", 2026, 1, "HD-NAFOSTED-2026-0001"), ("NATIF", 2027, 123, "HD-NATIF-2027-0123")],
)
def test_contract_numbers(code, year, n, number):
    assert rules.contract_number(code, year, n) == number


@pytest.mark.parametrize(
    "total, advance, tranches, kinds, amounts",
    [
        (1000, 300, [(6, 350), (18, 350)], ["advance", "tranche", "tranche"], [300, 350, 350]),
        (1000, 300, [(6, 200)], ["advance", "tranche", "final_payment"], [300, 200, 500]),
        (1000, 300, [(6, 0)], ["advance", "final_payment"], [300, 700]),
    ],
)
def test_the_payment_schedule_adds_up_to_the_contract(total, advance, tranches, kinds, amounts):
    rows = rules.payment_schedule(total, advance, tranches)
    assert [r.kind for r in rows] == kinds
    assert [r.amount_vnd for r in rows] == amounts
    assert sum(amounts) == total


@pytest.mark.parametrize(
    "total, advance, tranches, refused",
    [(1000, 300, [700], False), (1000, 300, [701], True), (1000, 300, [-1], True)],
)
def test_the_schedule_never_exceeds_the_state_money(total, advance, tranches, refused):
    assert bool(rules.schedule_violations(total, advance, tranches)) is refused


@pytest.mark.parametrize(
    "amount, parts, shares", [(700, 2, [350, 350]), (1000, 3, [333, 333, 334]), (5, 0, [])]
)
def test_split_evenly_keeps_every_dong(amount, parts, shares):
    assert rules.split_evenly(amount, parts) == shares


def test_dates_percent_and_money_as_a_vietnamese_contract_writes_them():
    assert rules.default_dates(date(2026, 12, 15), 24) == (date(2027, 1, 1), date(2028, 12, 31))
    assert rules.months_between(date(2027, 1, 1), date(2028, 12, 31)) == 24
    assert rules.percent(Fraction(3, 10)) == "30%"
    assert rules.percent(Fraction(1, 8)) == "12,5%"
    assert rules.vnd(1_440_000_000) == "1.440.000.000"


@pytest.mark.parametrize(
    "signed, in_force",
    [({"fund", "host", "pi"}, True), ({"fund", "host"}, False), ({"pi"}, False), (set(), False)],
)
def test_in_force_needs_the_three_parties(signed, in_force):
    assert rules.in_force(signed) is in_force


@pytest.mark.parametrize(
    "submitted, proposed, response, keep, approved",
    [
        (600, None, None, False, 600),  # unchanged
        (600, 540, "accepted", False, 540),
        (600, 540, "answered", False, 540),  # disputed, the fund keeps the cut
        (600, 540, "answered", True, 600),  # disputed, the fund keeps the submitted line
        (600, 540, "accepted", True, 540),  # keeping applies to a disputed line only
    ],
)
def test_the_approved_amount_of_a_line(submitted, proposed, response, keep, approved):
    assert approved_amount(submitted, proposed, response, keep) == approved


WP = WorkValues("PI", "Thiết kế", 6, "Bản thiết kế")
LATER = WorkValues("PI", "Thiết kế", 9, "Bản thiết kế")


@pytest.mark.parametrize(
    "budget, work, messages",
    [
        ([(1, 600, BudgetProposal(540, "Giảm"))], [], []),
        ([(1, 600, BudgetProposal(540, ""))], [], ["reason"]),
        ([(1, 600, BudgetProposal(700, "Tăng"))], [], ["exceeds"]),
        ([(1, 600, BudgetProposal(700, "Tăng")), (2, 400, BudgetProposal(300, "Giảm"))], [], []),
        ([], [(WP, WorkProposal(WP))], []),
        ([], [(WP, WorkProposal(WP, removed=True))], ["reason"]),
        (
            [],
            [(WP, WorkProposal(WorkValues("PI", "Thiết kế", 9, "Bản thiết kế"), reason="Lùi"))],
            [],
        ),
        ([], [(WP, WorkProposal(WorkValues("PI", "", 6, ""), reason="Bỏ trống"))], ["task"]),
    ],
)
def test_a_proposed_change_needs_its_reason_and_never_gives_more(budget, work, messages):
    found = [v.message for v in proposal_violations(budget, work)]
    assert len(found) == len(messages)
    for text, word in zip(found, messages, strict=True):
        assert word in text


@pytest.mark.parametrize(
    "answers, refused",
    [
        ([("accepted", "")], False),
        ([("answered", "Đã có báo giá")], False),
        ([("answered", " ")], True),
        ([(None, "")], True),
    ],
)
def test_the_pi_accepts_or_answers_each_change(answers, refused):
    assert bool(answer_violations(answers)) is refused
