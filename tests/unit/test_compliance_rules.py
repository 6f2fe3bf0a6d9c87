"""Compliance rules on literal figures, each rule evaluated in the years its instrument is in
force: values, pass/fail and shortfalls computed by hand."""

from fractions import Fraction as F

import pytest

from funds.compliance.defaults import DEFAULT_RULES
from funds.compliance.rules import (
    BasisFigures,
    Budget,
    RuleSpec,
    Settings,
    Share,
    YearFigures,
    evaluate_year,
    round6,
    shortfall,
    shown_value,
)
from funds.compliance.slate import Addition, needs_acknowledgement, slate_impact

SPECS = [
    RuleSpec(
        id=r["id"],
        metric=r["metric"],
        kind=r["kind"],
        strict=r["strict"],
        threshold=F(r["threshold"]) if r["threshold"] else None,
        effective_from=r["effective_from"],
        effective_to=r["effective_to"],
        instrument=r["instrument_code"],
    )
    for r in DEFAULT_RULES
]
YEARS = {
    # 2024: S&T 30,000 of 2,120,000 (1.415%); S&T/I/DX 41,000 (1.934%)
    2024: YearFigures(2024, 2_120_000, 41_000, 30_000),
    2025: YearFigures(
        2025,
        1_000_000,
        20_000,
        15_000,
        estimates={"revised": Budget(1_000_000, 35_000, 20_000)},
    ),
    2026: YearFigures(
        2026,
        2_000_000,
        50_000,
        30_000,
        bases={
            "planned": BasisFigures(
                state_strategic=6_000, state_total=10_000, nonstate_total=20_000
            ),
            "committed": BasisFigures(
                state_strategic=4_000, state_total=8_000, nonstate_total=8_000
            ),
            "disbursed": BasisFigures(state_strategic=1_000, state_total=1_000),
        },
    ),
    2027: YearFigures(2027, 0, 0, 0),
}


def by_key(year, settings=None):
    return {(r.rule, r.basis): r for r in evaluate_year(SPECS, YEARS, year, settings)}


def test_2024_is_judged_by_the_2013_law_2_percent_floor_not_resolution_57():
    """Law on S&T 29/2013/QH13 Art. 49(1) governs fiscal years up to 2024; Resolution
    57-NQ/TW's 3% and 15% floors apply from the 2025 budget."""
    results = by_key(2024)
    assert {rule for rule, _basis in results} == {"st_share_of_state_budget_2013"}
    r = results[("st_share_of_state_budget_2013", "planned")]
    assert (r.value, r.threshold, r.ok) == (F(30_000, 2_120_000), F(2, 100), False)
    assert r.shortfall_vnd == 42_400 - 30_000
    assert r.instrument == "law-29-2013-qh13"


def test_from_2025_resolution_57_floors_apply_and_the_2013_floor_does_not():
    """Resolution 57-NQ/TW §III.3: 3% S&T/I/DX and 15% strategic from FY2025."""
    rules = {rule for rule, _b in by_key(2026)}
    assert rules == {"st_share_of_state_budget", "strategic_share_of_st_budget", "st_share_rising"}


@pytest.mark.parametrize(
    "rule, basis, value, threshold, ok, short",
    [
        ("st_share_of_state_budget", "planned", F(1, 40), F(3, 100), False, 10_000),
        ("strategic_share_of_st_budget", "planned", F(1, 5), F(15, 100), True, 0),
        ("strategic_share_of_st_budget", "committed", F(2, 15), F(15, 100), False, 500),
        ("strategic_share_of_st_budget", "disbursed", F(1, 30), F(15, 100), False, 3_500),
    ],
)
def test_each_floor_and_basis_gives_the_hand_computed_result(
    rule, basis, value, threshold, ok, short
):
    """Resolution 57-NQ/TW §III.3 in FY2026."""
    r = by_key(2026)[(rule, basis)]
    assert (r.value, r.threshold, r.ok, r.shortfall_vnd) == (value, threshold, ok, short)


def test_each_budget_version_present_is_evaluated_under_its_own_basis():
    """FY2025 reached 3% only after a mid-year top-up: the original estimate fails and the
    revised estimate passes (Resolution 57-NQ/TW §III.3)."""
    results = by_key(2025)
    original = results[("st_share_of_state_budget", "planned")]
    revised = results[("st_share_of_state_budget", "revised")]
    assert (original.value, original.ok) == (F(2, 100), False)
    assert (revised.value, revised.ok) == (F(35, 1000), True)
    assert ("st_share_of_state_budget", "final") not in results


def test_rising_is_an_indicator_of_the_measure_in_force_compared_with_the_previous_year():
    """Rising year by year (Law 29/2013 Art. 49, Resolution 57-NQ/TW §III.3) is an
    indicator: no verdict, shortfall 0; 2025 compares its S&T/I/DX share with 2024's
    S&T/I/DX share, not with 2024's S&T-only share."""
    r = by_key(2025)[("st_share_rising", "planned")]
    assert r.kind == "indicator"
    assert (r.ok, r.shortfall_vnd) == (None, 0)
    assert (r.value, r.threshold) == (F(20_000, 1_000_000), F(41_000, 2_120_000))
    assert r.rising is True
    assert ("st_share_rising", "revised") not in by_key(2025)  # 2024 has no revised estimate


def test_rising_up_to_2024_compares_the_st_only_share():
    """Up to FY2024 the measure is the 2013 law's: S&T alone."""
    years = {2023: YearFigures(2023, 1_000_000, 40_000, 20_000), 2024: YEARS[2024]}
    r = {(x.rule, x.basis): x for x in evaluate_year(SPECS, years, 2024)}[
        ("st_share_rising", "planned")
    ]
    assert (r.value, r.threshold) == (F(30_000, 2_120_000), F(20_000, 1_000_000))
    assert r.rising is False


def test_rising_is_not_listed_when_the_previous_year_is_unknown():
    assert ("st_share_rising", "planned") not in by_key(2024)


def test_the_strategic_share_reports_its_coverage_and_warns_when_it_is_low():
    """The 15% share compares this ledger with the whole base: committed state lines of
    8,000 cover 8,000 / 30,000 of the state S&T budget, below the 50% warning setting."""
    r = by_key(2026)[("strategic_share_of_st_budget", "committed")]
    assert r.coverage == F(8_000, 30_000)
    assert r.coverage_low is True
    relaxed = by_key(2026, Settings(coverage_warning_below=F(1, 10)))
    assert relaxed[("strategic_share_of_st_budget", "committed")].coverage_low is False


def test_the_strategic_share_base_is_a_setting():
    """The base of Resolution 57's 15% ('the state budget for science') is an open question:
    the S&T/I/DX line instead of the S&T line is the alternative."""
    r = by_key(2026, Settings(strategic_base="stidx"))[("strategic_share_of_st_budget", "planned")]
    assert (r.value, r.base) == (F(6_000, 50_000), "planned:stidx")


def test_the_base_is_the_most_recent_budget_version():
    years = {
        2026: YearFigures(
            2026,
            2_000_000,
            50_000,
            30_000,
            bases={"committed": BasisFigures(state_strategic=4_000, state_total=8_000)},
            estimates={"final": Budget(2_000_000, 48_000, 20_000)},
        )
    }
    r = {(x.rule, x.basis): x for x in evaluate_year(SPECS, years, 2026)}[
        ("strategic_share_of_st_budget", "committed")
    ]
    assert (r.value, r.base) == (F(4_000, 20_000), "final:st")


def test_a_zero_denominator_is_reported_not_raised():
    results = by_key(2027)
    for key, reason in [
        (("st_share_of_state_budget", "planned"), "total state budget"),
        (("strategic_share_of_st_budget", "committed"), "state S&T budget"),
    ]:
        assert results[key].ok is None
        assert results[key].shortfall_vnd is None
        assert reason in results[key].reason


def test_a_year_without_budget_figures_is_not_evaluable_and_says_which_year():
    r = by_key(2030)[("st_share_of_state_budget", "planned")]
    assert r.ok is None
    assert "2030" in r.reason % r.params


def test_the_shortfall_is_exactly_enough_to_pass_and_one_dong_less_is_not():
    share, t = Share(4_000, 30_001), F(15, 100)
    x = shortfall(share, t, strict=False)
    assert F(4_000 + x, 30_001) >= t > F(4_000 + x - 1, 30_001)


def test_a_strict_target_at_an_exact_boundary_needs_one_more_dong():
    assert shortfall(Share(60, 100), F(3, 5), strict=True) == 1
    assert shortfall(Share(60, 100), F(3, 5), strict=False) == 0


@pytest.mark.parametrize(
    "value, text",
    [
        (F(1, 3), "0.333333"),
        (F(2, 3), "0.666667"),
        (F(3, 100), "0.03"),
        (F(1, 1), "1"),
        (F(1, 2_000_000), "0.000001"),
        (F(1, 2_000_001), "0"),
    ],
)
def test_values_are_rounded_half_up_to_six_places_for_display(value, text):
    assert round6(value) == text


@pytest.mark.parametrize(
    "value, threshold, ok, strict, places, shown",
    [
        (F(2_999_997, 10**8), F(3, 100), False, False, 6, F(29_999, 10**6)),
        (F(2_999_997, 10**8), F(3, 100), False, False, 4, F(299, 10**4)),
        (F(3, 100), F(3, 100), True, False, 6, F(3, 100)),
        (F(6_000_001, 10**7), F(3, 5), True, True, 6, F(600_001, 10**6)),
        (F(1, 3), F(1, 2), False, False, 6, F(333_333, 10**6)),
        (F(2, 3), None, None, False, 6, F(666_667, 10**6)),
    ],
)
def test_a_failing_value_is_never_shown_rounded_onto_its_threshold(
    value, threshold, ok, strict, places, shown
):
    """0.02999997 against the 3% floor reads 2.9999%, never 3%, beside a failing verdict."""
    assert shown_value(value, threshold, ok, places, strict) == shown


def test_the_report_never_prints_a_failing_value_as_its_threshold():
    from funds.compliance.report import result_dict

    years = {2025: YearFigures(2025, 10**8, 2_999_997, 1)}
    r = {x.rule: x for x in evaluate_year(SPECS, years, 2025)}["st_share_of_state_budget"]
    shown = result_dict(r)
    assert shown["ok"] is False
    assert shown["value"] == 0.029999
    assert shown["legal_basis"] == ""  # specs built without a citation here


def test_a_rule_outside_its_effective_period_is_not_evaluated():
    spec = RuleSpec(id="x", metric="stidx_share", threshold=F(1, 10), effective_from=2027)
    assert evaluate_year([spec], YEARS, 2026) == []
    assert len(evaluate_year([spec], YEARS, 2027)) == 1


def test_a_slate_is_flagged_only_when_the_floor_becomes_unreachable_this_year():
    """Resolution 57-NQ/TW §III.3 is a floor for the year: a slate that leaves 2026 below
    15% while enough budget stays uncommitted is information, not a flag."""
    impacts = slate_impact(
        YEARS, {2026: F(15, 100)}, [Addition(1, 2026, 300, True), Addition(2, 2026, 900, False)]
    )
    (y2026,) = impacts
    assert (y2026.share_before, y2026.share_after) == (F(4_000, 30_000), F(4_300, 30_000))
    assert (y2026.headroom_before_vnd, y2026.headroom_after_vnd) == (-500, -200)
    assert y2026.uncommitted_after_vnd == 30_000 - 8_000 - 1_200
    assert y2026.below_floor_after
    assert not y2026.unreachable_after
    assert needs_acknowledgement(impacts) == []


def test_a_slate_that_makes_the_floor_unreachable_is_flagged():
    """After 21,500 of non-strategic money, 30,000 − 8,000 − 21,500 = 500 đồng stay
    uncommitted but 500 + … strategic đồng are still missing: 4,500 needed, 500 left."""
    impacts = slate_impact(YEARS, {2026: F(15, 100)}, [Addition(1, 2026, 21_500, False)])
    (y2026,) = impacts
    assert y2026.shortfall_after_vnd == 500
    assert y2026.uncommitted_after_vnd == 500
    assert not y2026.unreachable_after  # exactly reachable: every remaining đồng strategic
    impacts = slate_impact(YEARS, {2026: F(15, 100)}, [Addition(1, 2026, 21_501, False)])
    assert impacts[0].unreachable_after
    assert needs_acknowledgement(impacts) == [2026]


def test_a_slate_in_a_year_without_a_strategic_floor_is_not_flagged():
    """Before FY2025 no strategic floor is in force (Resolution 57-NQ/TW)."""
    impacts = slate_impact(YEARS, {2024: None}, [Addition(1, 2024, 10**9, False)])
    assert not impacts[0].floor_in_force
    assert needs_acknowledgement(impacts) == []


def test_a_slate_in_a_year_with_a_floor_but_no_budget_needs_acknowledgement():
    impacts = slate_impact(YEARS, {2030: F(15, 100)}, [Addition(1, 2030, 10, True)])
    assert impacts[0].unverifiable
    assert needs_acknowledgement(impacts) == [2030]
