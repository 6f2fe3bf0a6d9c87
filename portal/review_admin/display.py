"""Scores on the ranking page, always rounded down: a score below its threshold is never
shown as the threshold itself (59.96% is shown as 59.9%, not 60%)."""

import math
from decimal import Decimal
from fractions import Fraction

from babel.numbers import format_decimal
from flask_babel import get_locale

from portal.i18n import format_percent


def _down(value: Fraction, places: int) -> Fraction:
    step = Fraction(1, 10**places)
    return math.floor(value / step) * step


def percent_down(share: Fraction | None, digits: int = 1) -> str:
    """A share of full marks in per cent, rounded down to `digits` decimals."""
    if share is None:
        return "—"
    return format_percent(_down(Fraction(share) * 100, digits) / 100, digits)


def number_down(value: Fraction | None, places: int = 2) -> str:
    """A mean score rounded down to `places` decimals, in the user's language."""
    if value is None:
        return "—"
    shown = _down(Fraction(value), places)  # its denominator divides 10**places: exact
    return format_decimal(
        Decimal(shown.numerator) / Decimal(shown.denominator),
        format="#,##0." + "#" * places,
        locale=str(get_locale() or "vi"),
    )
