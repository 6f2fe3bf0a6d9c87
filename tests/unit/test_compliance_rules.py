"""Compliance rules on literal figures: values, pass/fail and shortfalls, computed by hand."""

from fractions import Fraction as F

import pytest

from funds.compliance.defaults import DEFAULT_RULES
from funds.compliance.rules import (
    BasisFigures,
    RuleSpec,
    Share,
    YearFigures,
    evaluate_year,
    round6,
    shortfall,
)
from funds.compliance.slate import Addition, needs_acknowledgement, slate_impact

SPECS = [
    RuleSpec(
        id=r["id"],
        metric=r["metric"],
        kind=r["kind"],
        strict=r["strict"],
        threshold=F(r["threshold"]) if r["threshold"] else None,
    )
    for r in DEFAULT_RULES
]
YEARS = {
    2025: YearFigures(2025, 1_000_000, 35_000, 20_000),
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


def by_key(year):
    return {(r.rule, r.basis): r for r in evaluate_year(SPECS, YEARS, year)}


@pytest.mark.parametrize(
    "rule, basis, value, threshold, ok, short",
    [
        ("st_share_of_state_budget", "planned", F(1, 40), F(3, 100), False, 10_000),
        ("st_share_rising", "planned", F(1, 40), F(35, 1000), False, 20_000),
        ("strategic_share_of_st_budget", "planned", F(1, 5), F(15, 100), True, 0),
        ("strategic_share_of_st_budget", "committed", F(2, 15), F(15, 100), False, 500),
        ("strategic_share_of_st_budget", "disbursed", F(1, 30), F(15, 100), False, 3_500),
        ("private_share_of_rd", "planned", F(2, 3), F(3, 5), True, 0),
        ("private_share_of_rd", "committed", F(1, 2), F(3, 5), False, 4_001),
    ],
)
def test_each_rule_and_basis_gives_the_hand_computed_result(
    rule, basis, value, threshold, ok, short
):
    r = by_key(2026)[(rule, basis)]
    assert (r.value, r.threshold, r.ok, r.shortfall_vnd) == (value, threshold, ok, short)


def test_the_rising_rule_is_not_evaluated_when_the_previous_year_is_missing():
    r = by_key(2025)[("st_share_rising", "planned")]
    assert r.ok is None
    assert r.shortfall_vnd is None
    assert "2024" in r.reason % r.params


def test_a_zero_denominator_is_reported_not_raised():
    results = by_key(2027)
    for key, reason in [
        (("st_share_of_state_budget", "planned"), "total state budget"),
        (("strategic_share_of_st_budget", "committed"), "state S&T budget"),
        (("private_share_of_rd", "disbursed"), "no R&D spending"),
    ]:
        assert results[key].ok is None
        assert results[key].shortfall_vnd is None
        assert reason in results[key].reason
    assert results[("st_share_rising", "planned")].ok is None


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


def test_a_rule_outside_its_effective_period_is_not_evaluated():
    spec = RuleSpec(id="x", metric="stidx_share", threshold=F(1, 10), effective_from=2027)
    assert evaluate_year([spec], YEARS, 2026) == []
    assert len(evaluate_year([spec], YEARS, 2027)) == 1


def test_a_slate_shows_each_years_share_before_and_after_and_flags_the_floor():
    impacts = slate_impact(
        YEARS,
        F(15, 100),
        [Addition(1, 2026, 300, True), Addition(2, 2026, 900, False), Addition(3, 2030, 10, True)],
    )
    y2026, _y2030 = impacts
    assert (y2026.share_before, y2026.share_after) == (F(4_000, 30_000), F(4_300, 30_000))
    assert (y2026.headroom_before_vnd, y2026.headroom_after_vnd) == (-500, -200)
    assert y2026.uncommitted_after_vnd == 30_000 - 8_000 - 1_200
    assert needs_acknowledgement(impacts) == [2026, 2030]
    assert (
        needs_acknowledgement(slate_impact(YEARS, F(15, 100), [Addition(1, 2026, 500, True)])) == []
    )
