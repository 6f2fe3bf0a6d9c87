"""Council rules on literal values: composition (Circular 20/2023/TT-BKHCN), quorum and the
pass rule (two thirds present with chair and secretary; more than three quarters of those
present, as in Circular 45/2016/TT-BTTTT), terms of standing committees (NAFOSTED)."""

from datetime import date
from fractions import Fraction as F

import pytest

from reviews.councils.rules import (
    DEFAULTS,
    CouncilRuleSpec,
    composition_problems,
    conclude,
    format_roles,
    parse_roles,
    quorum,
    term_problems,
)

SELECTION = DEFAULTS["selection"]
SEATS = {1: "chair", 2: "vice_chair", 3: "secretary", 4: "reviewer_member", 5: "reviewer_member"}
SEATS |= {6: "member", 7: "member", 8: "member", 9: "member"}


def test_a_selection_council_of_circular_20_2023_is_complete():
    """7–9 members with a chair, a secretary and two reviewer members."""
    assert composition_problems(SELECTION, list(SEATS.values())) == []
    short = composition_problems(
        SELECTION, ["chair", "secretary", "reviewer_member"] + ["member"] * 4
    )
    assert [v.params for v in short] == [{"count": 2, "role": "reviewer_member"}]
    assert composition_problems(
        SELECTION,
        ["chair", "chair", "secretary", "reviewer_member", "reviewer_member", "member", "member"],
    )[0].params == {"role": "chair"}
    assert composition_problems(SELECTION, list(SEATS.values())[:5])[0].params["count"] == 5


def test_required_roles_round_trip_as_text():
    roles = (("chair", 1), ("secretary", 1), ("reviewer_member", 2))
    assert format_roles(roles) == "chair,secretary,reviewer_member*2"
    assert parse_roles("chair, secretary,reviewer_member*2") == roles


@pytest.mark.parametrize(
    "present, conflicted, ok, needed",
    [
        ({1, 2, 3, 4, 5, 6}, set(), True, 6),  # 6 of 9 = two thirds, chair and secretary in
        ({1, 2, 3, 4, 5}, set(), False, 6),  # one short
        ({2, 3, 4, 5, 6, 7, 8}, set(), False, 6),  # enough, but no chair
        ({1, 2, 4, 5, 6, 7, 8}, set(), False, 6),  # enough, but no secretary
        ({1, 2, 3, 4, 5}, {9}, False, 6),  # 8 members without the conflicted one: 6 needed
        ({1, 2, 3, 4, 5}, {8, 9}, True, 5),  # 7 members: ceil(14/3) = 5
        ({2, 3, 4, 5, 6}, {1, 9}, True, 5),  # a conflicted chair is not required
    ],
)
def test_quorum_counts_members_present_without_the_conflicted(present, conflicted, ok, needed):
    q = quorum(SELECTION, SEATS, present, conflicted)
    assert (q.ok, q.needed) == (ok, needed)


def test_a_conflicted_member_present_does_not_count_towards_quorum():
    q = quorum(SELECTION, SEATS, {1, 2, 3, 4, 5, 9}, {9})
    assert (q.present, q.members, q.ok) == (5, 8, False)


@pytest.mark.parametrize(
    "counts, voters, expected, tie",
    [
        ({"select": 7}, 8, "select", False),  # 7/8 > 3/4
        ({"select": 6, "do_not_select": 2}, 8, "no_conclusion", False),  # 6/8 = 3/4, not more
        ({"select": 4, "select_with_changes": 3}, 8, "select", False),  # 7/8 for selection
        ({"select_with_changes": 7, "select": 1}, 8, "select_with_changes", False),
        ({"do_not_select": 7, "select": 1}, 8, "do_not_select", False),
        ({"select": 4, "do_not_select": 4}, 8, "no_conclusion", True),  # a tie, shown
        ({"select": 5}, 6, "select", False),  # the base is those present, not all members
    ],
)
def test_the_pass_rule_is_more_than_three_quarters_of_those_present(counts, voters, expected, tie):
    c = conclude(SELECTION, counts, voters)
    assert (c.recommendation, c.tie) == (expected, tie)


def test_a_fund_may_pass_at_exactly_two_thirds():
    spec = CouncilRuleSpec("selection", pass_share=F(2, 3), pass_strict=False)
    assert conclude(spec, {"select": 4, "do_not_select": 2}, 6).recommendation == "select"


def test_acceptance_excellent_needs_the_share_on_its_own():
    spec = DEFAULTS["acceptance"]
    assert conclude(spec, {"excellent": 6, "pass": 1}, 7).recommendation == "excellent"
    assert conclude(spec, {"excellent": 3, "pass": 4}, 7).recommendation == "pass"
    assert conclude(spec, {"fail": 6, "pass": 1}, 7).recommendation == "fail"


def test_midterm_stop_and_continue():
    spec = DEFAULTS["midterm"]
    assert conclude(spec, {"stop": 4}, 5).recommendation == "stop"
    assert conclude(spec, {"continue": 2, "adjust": 2}, 5).recommendation == "continue"


def test_a_score_threshold_and_criterion_minimums_block_a_favourable_vote():
    spec = CouncilRuleSpec("selection", min_average_pct=70)
    assert conclude(spec, {"select": 8}, 8, average_pct=F(69)).recommendation == "no_conclusion"
    assert conclude(spec, {"select": 8}, 8, average_pct=F(70)).recommendation == "select"
    blocked = conclude(spec, {"select": 8}, 8, average_pct=F(90), criteria_below=["Tính mới"])
    assert blocked.recommendation == "no_conclusion"
    assert blocked.reasons


def test_standing_committee_members_serve_at_most_two_consecutive_terms():
    spec = DEFAULTS["standing"]
    terms = [(date(2020, 1, 1), date(2023, 1, 1)), (date(2023, 1, 1), date(2026, 1, 1))]
    assert term_problems(spec, terms, date(2026, 1, 1))
    assert term_problems(spec, terms[:1], date(2023, 1, 1)) == []
    assert term_problems(spec, terms, date(2027, 6, 1)) == []  # a break: a new run
