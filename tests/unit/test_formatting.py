"""Money, percentages and instants as people read them."""

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from portal.forms import parse_vnd
from portal.i18n import format_day, format_instant, format_money, format_number, format_percent


@pytest.mark.parametrize(
    "amount, locale, shown",
    [
        (1_234_567_890, "vi", "1.234.567.890\u00a0₫"),
        (1_234_567_890, "en", "₫1,234,567,890"),
        (0, "vi", "0\u00a0₫"),
        (999, "en", "₫999"),
        (-5_000, "vi", "-5.000\u00a0₫"),
    ],
)
def test_money_is_grouped_per_language(amount, locale, shown):
    assert format_money(amount, locale) == shown


@pytest.mark.parametrize(
    "share, digits, locale, shown",
    [
        (Fraction(2, 15), 4, "vi", "13,3333%"),
        (Fraction(2, 15), 4, "en", "13.3333%"),
        (Fraction(1, 3), 1, "en", "33.3%"),
        (Decimal("0.15"), 4, "vi", "15%"),  # trailing zeros dropped
        (0.2, 1, "vi", "20%"),
        (Fraction(1, 2000), 1, "en", "0.1%"),  # 0.05 % rounded half up, not to even
        (Fraction(2, 3), 0, "vi", "67%"),
        (12.345, 1, "vi", "1.234,5%"),
        (None, 1, "vi", "—"),
    ],
)
def test_shares_are_shown_in_per_cent_per_language(share, digits, locale, shown):
    assert format_percent(share, digits, locale) == shown


def test_instants_are_shown_in_vietnam_time():
    instant = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
    assert format_instant(instant, "vi") == "31/12/2026 17:00 (GMT+7)"
    assert format_instant(instant, "en") == "31 Dec 2026, 17:00 (GMT+7)"


@pytest.mark.parametrize(
    "day, locale, shown",
    [
        (date(2025, 2, 19), "vi", "19/02/2025"),  # dd/mm/yyyy, as Vietnamese documents write it
        (date(2026, 12, 1), "vi", "01/12/2026"),
        (date(2026, 12, 1), "en", "1 Dec 2026"),
        (None, "vi", "—"),
    ],
)
def test_calendar_dates_are_shown_per_language(day, locale, shown):
    assert format_day(day, locale) == shown


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1500000000", 1_500_000_000),
        ("1.500.000.000", 1_500_000_000),
        ("1,500,000,000", 1_500_000_000),
        ("1 500 000 000 ₫", 1_500_000_000),
    ],
)
def test_typed_amounts_accept_common_separators(typed, value):
    assert parse_vnd(typed) == value


@pytest.mark.parametrize("typed", ["-5", "abc", "12e3", "١٢٣", "99999999999999999"])
def test_typed_amounts_refuse_what_is_not_whole_dong(typed):
    with pytest.raises(ValueError):  # noqa: PT011 - each input has its own message
        parse_vnd(typed)


@pytest.mark.parametrize(
    "value, digits, locale, shown",
    [
        (1234.5678, 2, "vi", "1.234,57"),  # a decimal comma, a dot between thousands
        (1234.5678, 2, "en", "1,234.57"),
        (Decimal("0.5"), 2, "vi", "0,5"),
        (Fraction(2, 3), 3, "vi", "0,667"),
        (3, 2, "vi", "3"),
        (None, 2, "vi", "—"),
    ],
)
def test_other_numbers_use_the_languages_decimal_separator(value, digits, locale, shown):
    assert format_number(value, digits, locale) == shown
