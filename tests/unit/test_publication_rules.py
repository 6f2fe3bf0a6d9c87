"""What a fund publishes and how a project is named in public (funds.publication.rules)."""

from datetime import UTC, datetime

import pytest

from funds.publication import rules


@pytest.mark.parametrize(
    "stored, expected",
    [
        (None, {"pi_name", "amount", "abstract", "outputs", "rating"}),
        ("", set()),
        ("amount,outputs", {"amount", "outputs"}),
        ("amount, reviewer_names,score", {"amount"}),  # unknown names publish nothing
    ],
)
def test_a_funds_stored_choice_reads_as_the_fields_it_publishes(stored, expected):
    assert rules.public_fields(stored) == expected


def test_the_value_of_licences_is_withheld_by_default():
    assert "output_value" not in rules.DEFAULT_FIELDS
    assert rules.stored_fields(["output_value", "amount", "nonsense"]) == "amount,output_value"


@pytest.mark.parametrize(
    "code, year, n, expected",
    [("nafosted", 2026, 12, "NAFOSTED-2026-00012"), ("F1", 2024, 1, "F1-2024-00001")],
)
def test_the_public_identifier_is_fund_year_and_sequence(code, year, n, expected):
    assert rules.public_id(code, year, n) == expected


def test_the_search_text_is_folded():
    assert rules.search_text("Cảm biến ĐIỆN tử", None, "Viện") == "cam bien dien tu vien"


@pytest.mark.parametrize(
    "now, phase",
    [(datetime(2026, 1, 1, tzinfo=UTC), "upcoming"), (datetime(2026, 2, 1, tzinfo=UTC), "open"),
     (datetime(2026, 3, 1, tzinfo=UTC), "closed")],
)  # fmt: skip
def test_a_calls_phase_follows_its_window(now, phase):
    opens, closes = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 15, tzinfo=UTC)
    assert rules.call_phase(opens, closes, now) == phase
