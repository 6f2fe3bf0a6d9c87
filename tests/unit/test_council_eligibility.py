"""Eligibility read from a profile (NAFOSTED: a doctorate or a professorship, publications in
the last five years): warnings, with "unknown" where the profile says nothing."""

from datetime import date

import pytest

from reviews.councils.rules import eligibility, term_end_default


@pytest.mark.parametrize(
    "title, years, doctorate, recent, warnings",
    [
        ("PGS.TS.", [2025, 2010], True, 1, 0),
        ("GS.TSKH", [2022], True, 1, 0),
        ("Tiến sĩ", [2026], True, 1, 0),
        ("Dr.", [2021], True, 0, 1),  # 2021 is outside the last five years (2022–2026)
        ("ThS.", [2024], False, 1, 1),  # a master's degree is not a doctorate
        ("", [2024], None, 1, 1),  # no title: unknown
        ("TS.", [], True, None, 1),  # no publication listed: unknown
        ("TS.", [None], True, 0, 1),  # a publication without a year does not count
        ("", [], None, None, 2),
    ],
)
def test_eligibility_warnings_from_the_profile(title, years, doctorate, recent, warnings):
    found = eligibility(title, years, 2026)
    assert (found.doctorate, found.recent_publications, len(found.warnings)) == (
        doctorate,
        recent,
        warnings,
    )


def test_a_term_ends_its_years_later_and_29_february_falls_back():
    assert term_end_default(date(2026, 3, 1), 3) == date(2029, 3, 1)
    assert term_end_default(date(2028, 2, 29), 3) == date(2031, 2, 28)
