"""Portfolio indicators as tables, each citing the instrument its target comes from:
Resolution 57-NQ/TW §II (res-57-nq-tw) and Law 93/2025/QH15 Art. 9 (law-93-2025-qh15)."""

import csv
from fractions import Fraction
from pathlib import Path

import pytest

from funds.projects.indicators import (
    SPECS,
    Facts,
    National,
    OutputRow,
    Settings,
    as_json,
    compound_growth,
    exploited_patents,
    indicators,
    is_provisional,
    mean_growth,
)

NOW = Settings(current_year=2030, window_years=5, provisional_years=2)
INSTRUMENTS = Path(__file__).resolve().parents[2] / "funds" / "data" / "legal_instruments.csv"


def by_id(facts: Facts, year: int, settings: Settings = NOW, baseline=None) -> dict:
    return {i.id: i for i in indicators(facts, year, settings=settings, baseline=baseline)}


def grant(id_, year):
    return OutputRow(id_, "patent_grant", year)


def use(id_, kind, year, patent, value=None):
    return OutputRow(id_, kind, year, exploits=patent, value_vnd=value)


@pytest.mark.parametrize(
    "outputs, cohort, expected",
    [
        # Res. 57-NQ/TW §II: one grant with three licences is one exploited patent: 100%, not 300%
        ([grant(1, 2024)] + [use(n, "licence", 2024, 1) for n in (2, 3, 4)], 2024, (1, 1)),
        # an exploitation outside the 5-year window after grant does not count
        ([grant(1, 2020), use(2, "licence", 2026, 1)], 2020, (0, 1)),
        ([grant(1, 2020), use(2, "transfer", 2025, 1)], 2020, (1, 1)),  # the window's last year
        # own production and spin-offs exploit a patent too; the cohort is the grant year
        ([grant(1, 2024), grant(5, 2024), use(2, "own_production", 2025, 5)], 2024, (1, 2)),
        ([grant(1, 2023), use(2, "spin_off", 2024, 1)], 2024, (0, 0)),
        # an exploitation linked to no patent, or a product, counts for none
        ([grant(1, 2024), use(2, "licence", 2024, None), use(3, "product", 2024, 1)], 2024, (0, 1)),
    ],
)
def test_commercialisation_rate_counts_exploited_patents_of_the_grant_cohort_res_57_nq_tw_ii(
    outputs, cohort, expected
):
    assert exploited_patents(outputs, cohort, window=5) == expected
    rate = by_id(Facts(outputs=outputs), cohort)["commercialisation_rate"]
    assert (rate.numerator, rate.denominator) == expected
    assert rate.value == (Fraction(*expected) if expected[1] else None)
    assert rate.value is None or 0 <= rate.value <= 1


def test_one_grant_with_three_licences_gives_100_percent_res_57_nq_tw_ii():
    outputs = [grant(1, 2024)] + [use(n, "licence", 2024, 1, value=100) for n in (2, 3, 4)]
    found = by_id(Facts(outputs=outputs), 2024)
    assert found["commercialisation_rate"].value == 1
    assert found["exploitations"].value == 3
    assert found["exploitation_value"].numerator == 300


def test_the_commercialisation_window_is_a_setting():
    outputs = [grant(1, 2020), use(2, "licence", 2026, 1)]
    wide = Settings(current_year=2030, window_years=6)
    assert by_id(Facts(outputs=outputs), 2020, wide)["commercialisation_rate"].value == 1


def test_most_reports_the_mean_of_yearly_rates_where_compound_growth_is_lower_res_57_nq_tw_ii():
    """Res. 57-NQ/TW §II asks for +16–18% patents a year on average; MOST reported 16.91% for
    2019–2024 as the mean of yearly rates where the compound rate on the same data is 9.25%.
    This series reproduces both figures."""
    series = [10000, 14621, 10132, 15901, 22933, 15567]
    assert round(float(mean_growth(series)) * 100, 2) == 16.91
    assert round(float(compound_growth(series)) * 100, 2) == 9.25


@pytest.mark.parametrize(
    "series, compound, mean",
    [
        ([100, 200, 100], Fraction(0), Fraction(1, 4)),  # +100% then −50%
        ([100, 110, 121], Fraction(1, 10), Fraction(1, 10)),  # steady 10%: both agree
        ([0, 5, 10], None, None),  # no baseline: not evaluable
        ([4, 0, 9], Fraction(1, 2), None),  # a zero year: no yearly rate after it
        ([7], None, None),
    ],
)
def test_compound_growth_and_mean_of_yearly_rates(series, compound, mean):
    found = compound_growth(series)
    if compound is None:
        assert found is None
    else:
        assert abs(found - compound) < Fraction(1, 10**20)  # an n-th root in 28 digits
    assert mean_growth(series) == mean


def test_growth_of_applications_grants_and_international_publications_from_a_baseline():
    outputs = [
        *(OutputRow(n, "patent_application", 2024) for n in range(2)),
        *(OutputRow(10 + n, "patent_application", 2025) for n in range(4)),
        *(OutputRow(20 + n, "patent_application", 2026) for n in range(2)),
        OutputRow(30, "publication", 2024, international=True),
        OutputRow(31, "publication", 2026, international=True),
        OutputRow(32, "publication", 2026, international=True),
        OutputRow(33, "publication", 2026, international=False),
    ]
    found = by_id(Facts(outputs=outputs), 2026, baseline=2024)
    mean = found["patent_application_growth_mean"]
    assert (mean.numerator, mean.denominator, mean.value) == (2, 2, Fraction(1, 4))
    assert found["patent_application_growth_compound"].value == 0
    assert found["international_publication_growth_mean"].value is None  # 2025 had none
    assert abs(
        found["international_publication_growth_compound"].value - Fraction(41421, 10**5)
    ) < Fraction(1, 10**5)
    assert found["patent_grant_growth_mean"].value is None
    assert all(SPECS[k].unit == "growth" for k in found if "_growth_" in k)


@pytest.mark.parametrize(
    "year, current, provisional_years, provisional",
    [(2030, 2030, 2, True), (2029, 2030, 2, True), (2028, 2030, 2, False), (2030, 2030, 0, False)],
)
def test_recent_years_are_provisional_while_outputs_arrive(
    year, current, provisional_years, provisional
):
    settings = Settings(current_year=current, provisional_years=provisional_years)
    assert is_provisional(year, settings) is provisional
    assert {i.provisional for i in indicators(Facts(), year, settings=settings)} == {provisional}


def test_failure_rate_is_split_into_compliant_and_broken_condition_law_93_2025_art_9():
    closures = [
        (2026, "success"),
        (2026, "compliant_failure"),
        (2026, "compliant_failure"),
        (2026, "noncompliant_failure"),
        (2026, "legacy_failure"),  # a contract under the earlier rules
        (2025, "noncompliant_failure"),  # another year: not in 2026's figures
    ]
    found = by_id(Facts(closures=closures), 2026)
    compliant, broken = found["compliant_failure_rate"], found["noncompliant_failure_rate"]
    legacy = found["legacy_failure_rate"]
    assert (compliant.numerator, compliant.denominator, compliant.value) == (2, 5, Fraction(2, 5))
    assert (broken.numerator, broken.denominator, broken.value) == (1, 5, Fraction(1, 5))
    assert (legacy.numerator, legacy.value) == (1, Fraction(1, 5))
    assert by_id(Facts(closures=closures), 2024)["compliant_failure_rate"].value is None


@pytest.mark.parametrize(
    "national, share_of_gdp, nonstate_share",
    [
        # Res. 57-NQ/TW §II: R&D 2% of GDP, over 60% of it non-state — national GERD
        ({2025: National(10_000, 90, 110)}, Fraction(200, 10_000), Fraction(110, 200)),
        ({}, None, None),  # no statistics imported: no value
        ({2024: National(10_000, 90, 110)}, None, None),  # another year's statistics
        ({2025: National(0, 0, 0)}, None, None),
    ],
)
def test_gerd_shares_against_the_imported_national_statistics_res_57_nq_tw_ii(
    national, share_of_gdp, nonstate_share
):
    found = by_id(Facts(national=national), 2025)
    assert found["gerd_share_of_gdp"].value == share_of_gdp
    assert found["gerd_nonstate_share"].value == nonstate_share
    assert found["gerd_share_of_gdp"].spec.target == "2% of GDP"
    assert found["gerd_nonstate_share"].spec.target == "over 60%"


def test_the_fund_cofunding_ratio_is_its_own_measure_by_fiscal_year():
    committed = [(2025, "state", 600), (2025, "nonstate", 400), (2026, "state", 1000)]
    found = by_id(Facts(committed=committed), 2025)
    ratio = found["fund_cofunding_ratio"]
    assert (ratio.numerator, ratio.denominator, ratio.value) == (400, 1000, Fraction(2, 5))
    assert ratio.spec.target is None  # not the national 60% target
    assert by_id(Facts(committed=committed), 2026)["fund_cofunding_ratio"].value == 0
    assert by_id(Facts(committed=committed), 2027)["fund_cofunding_ratio"].value is None


def test_durations_are_means_of_the_year():
    facts = Facts(decision_days=[(2026, 30), (2026, 45), (2025, 100)], closeout_days=[(2026, 20)])
    found = by_id(facts, 2026)
    assert found["days_call_close_to_decision"].value == Fraction(75, 2)
    assert found["days_final_report_to_closeout"].value == 20


def test_every_indicator_names_a_shipped_instrument_a_unit_and_a_definition():
    with INSTRUMENTS.open(encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh)}
    for spec in SPECS.values():
        assert spec.legal_basis.split()[0] in codes, spec.id
        assert spec.unit in ("share", "growth", "count", "days", "vnd")
        assert spec.definition
    assert SPECS["commercialisation_rate"].legal_basis == "res-57-nq-tw §II"
    assert SPECS["compliant_failure_rate"].legal_basis == "law-93-2025-qh15 Art. 9"


def test_json_form_rounds_half_up_and_keeps_null_for_an_empty_denominator():
    found = by_id(Facts(closures=[(2026, "compliant_failure")] * 1 + [(2026, "success")] * 2), 2026)
    row = as_json(found["compliant_failure_rate"], 2026)
    assert row["value"] == 0.333333
    assert (row["numerator"], row["denominator"], row["unit"]) == (1, 3, "share")
    assert as_json(found["commercialisation_rate"], 2026)["value"] is None
