"""Decision letters' pure rules: placeholders, numbers, the check before sending."""

from funds.letters import rules
from funds.letters.rules import Candidate, check_selection


def _c(i, funded=True, amount=1_000_000_000, issued=False):
    return Candidate(i, f"Đề tài {i}", funded, amount if funded else 0, issued)


def test_a_number_is_the_funds_code_year_and_four_digits():
    assert rules.letter_number("nafosted", 2026, 7) == "QĐ-NAFOSTED-2026-0007"


def test_amounts_are_grouped_by_dots_as_letters_write_them():
    assert rules.vnd_digits(5_000_000_000) == "5.000.000.000"
    assert rules.vnd_digits(0) == "0"


def test_both_texts_are_needed_and_only_known_placeholders():
    assert rules.template_violations("Quyết định ${letter_number}", "Thông báo") == []
    empty = rules.template_violations("", "Thông báo")
    assert [v.field for v in empty] == ["body"]
    unknown = rules.template_violations("A", "B ${secret_key}")
    assert [(v.field, v.params) for v in unknown] == [("body_not_funded", {"names": "secret_key"})]
    assert rules.template_violations("${letter_number.__class__}", "B")[0].field == "body"


def test_filling_is_one_pass_and_never_evaluates():
    text = rules.fill(
        "Số ${letter_number}: ${project_title}", {"project_title": "${letter_number}"}
    )
    assert text == "Số : ${letter_number}"


def test_the_check_counts_the_selection_and_its_money():
    found = check_selection(
        [_c(1), _c(2, funded=False), _c(3, amount=500_000_000)], [1, 2], 10_000_000_000
    )
    assert found.ok
    assert (found.funded_count, found.not_funded_count) == (1, 1)
    assert found.funded_selected_vnd == 1_000_000_000
    assert found.funded_call_vnd == 1_500_000_000


def test_the_check_refuses_nothing_selected_foreign_and_issued_letters():
    assert not check_selection([_c(1)], [], 10**10).ok
    foreign = check_selection([_c(1)], [1, 99], 10**10)
    assert [p.message for p in foreign.problems] == ["A selected decision is not of this call."]
    again = check_selection([_c(1, issued=True)], [1], 10**10)
    assert again.problems[0].params == {"title": "Đề tài 1"}


def test_the_check_refuses_letters_promising_more_than_the_calls_budget():
    found = check_selection([_c(1), _c(2)], [2], 1_500_000_000)
    assert not found.ok
    assert found.problems[0].params == {"need": "2.000.000.000", "budget": "1.500.000.000"}
    assert check_selection([_c(1), _c(2)], [2], 2_000_000_000).ok  # exactly the budget
