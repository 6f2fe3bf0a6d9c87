"""Closeout consequences by regime, each case citing the instrument it follows.

A contract of 1,000 M đồng disbursed and 900 M used throughout unless a case says otherwise.
"""

from datetime import date
from fractions import Fraction

import pytest

from funds.projects.regimes.rules import (
    ALL_YES,
    Answer,
    Cause,
    CloseoutSettings,
    Conditions,
    Evaluation,
    Outcome,
    Rating,
    RegimeSpan,
    check_evaluation,
    consequences,
    override_allowed,
    regime_on,
    round_half_up,
)

M = 1_000_000
LEGACY = RegimeSpan(
    "legacy",
    "Circular 27/2015/TTLT-BKHCN-BTC",
    "(unfinished tasks: refund by cause)",
    date(2006, 11, 3),
    date(2025, 2, 18),
    "Circular 93/2006/TTLT-BTC-BKHCN",
)
RES193 = RegimeSpan(
    "res193",
    "Resolution 193/2025/QH15",
    "Art. 4",
    date(2025, 2, 19),
    date(2025, 9, 30),
    "Decree 88/2025/NĐ-CP",
)
LAW93 = RegimeSpan("law93", "Law 93/2025/QH15", "Art. 9", date(2025, 10, 1))
SPANS = (LEGACY, RES193, LAW93)
Y, N, NA = Answer.YES, Answer.NO, Answer.NOT_ASSESSED
FAIL_OK = Evaluation(
    Rating.FAIL, ALL_YES, evidence="Biên bản hội đồng 12/2025", conclusion="Tuân thủ quy trình"
)


def close(ev, regime, *, mode="itemised", disbursed=1000 * M, used=900 * M, **settings):
    assert check_evaluation(ev, regime=regime.code, funding_mode=mode, used_vnd=used) == []
    return consequences(
        ev,
        regime=regime,
        funding_mode=mode,
        disbursed_vnd=disbursed,
        used_vnd=used,
        settings=CloseoutSettings(**settings),
    )


def fields_refused(ev, regime, *, mode="itemised", used=900 * M):
    return [v.field for v in check_evaluation(ev, regime=regime, funding_mode=mode, used_vnd=used)]


@pytest.mark.parametrize(
    "contract, regime",
    [
        (date(2025, 2, 18), "legacy"),  # Circular 27/2015: the last day of the earlier rules
        (date(2025, 2, 19), "res193"),  # Resolution 193/2025/QH15, in force on passage
        (date(2025, 3, 1), "res193"),
        (date(2025, 9, 30), "res193"),
        (date(2025, 10, 1), "law93"),  # Law 93/2025/QH15 in force
        (date(2025, 11, 1), "law93"),
    ],
)
def test_the_regime_follows_the_contract_date_res193_from_19_feb_2025(contract, regime):
    assert regime_on(SPANS, contract).code == regime


def test_no_regime_covers_a_contract_before_the_earliest_instrument():
    """Circular 93/2006/TTLT-BTC-BKHCN is the earliest rule shipped."""
    assert regime_on(SPANS, date(2000, 1, 1)) is None


def test_res193_compliant_failure_of_1_mar_2025_refunds_only_the_unused_100m():
    """Resolution 193/2025/QH15 Art. 4: a task that followed procedure does not refund the funds
    used (today's code said 370 M with liability and a mark)."""
    result = close(FAIL_OK, RES193)
    assert (result.outcome, result.refund_vnd) == (Outcome.COMPLIANT_FAILURE, 100 * M)
    assert (result.liability, result.mark_against_future) == (False, False)
    assert "Resolution 193/2025/QH15 Art. 4" in result.basis
    assert "Decree 88/2025/NĐ-CP" in result.basis


@pytest.mark.parametrize(
    "cause, refund, host, pi, liable",
    [
        (Cause.OBJECTIVE, 190 * M, 95 * M, 95 * M, False),  # 100 M + 10% of 900 M
        (Cause.SUBJECTIVE, 370 * M, 185 * M, 185 * M, True),  # 100 M + 30% of 900 M
    ],
)
def test_legacy_contract_of_1_feb_2025_refunds_by_cause_split_host_and_pi(
    cause, refund, host, pi, liable
):
    """Circular 27/2015/TTLT-BKHCN-BTC with the shares of Circular 93/2006/TTLT-BTC-BKHCN."""
    assert regime_on(SPANS, date(2025, 2, 1)) == LEGACY
    ev = Evaluation(Rating.FAIL, Conditions(Y, Y, NA, Y), cause=cause)
    result = close(ev, LEGACY)
    assert (result.outcome, result.refund_vnd) == (Outcome.LEGACY_FAILURE, refund)
    assert (result.host_refund_vnd, result.pi_refund_vnd) == (host, pi)
    assert result.liability is liable
    assert "Circular 27/2015/TTLT-BKHCN-BTC" in result.basis


def test_legacy_split_rounds_half_up_and_sums_exactly_to_the_refund():
    """Circular 93/2006/TTLT-BTC-BKHCN: host and PI share the refund; đồng stay whole."""
    ev = Evaluation(Rating.FAIL, ALL_YES, cause=Cause.OBJECTIVE)
    result = close(
        ev,
        LEGACY,
        disbursed=1001,
        used=1001,
        legacy_objective_share=Fraction(1, 10),
        legacy_host_share=Fraction(1, 3),
    )
    assert result.refund_vnd == 100  # 100.1 → 100
    assert (result.host_refund_vnd, result.pi_refund_vnd) == (33, 67)  # 33.3 → 33
    assert round_half_up(Fraction(5, 2)) == 3
    assert round_half_up(Fraction(-5, 2)) == -3


def test_legacy_failure_needs_its_cause():
    """Circular 27/2015/TTLT-BKHCN-BTC: the refund depends on the cause."""
    ev = Evaluation(Rating.FAIL, ALL_YES)
    assert fields_refused(ev, "legacy") == ["failure_cause"]


def test_law93_funds_outside_purpose_of_50m_refund_150m_and_open_a_liability_case():
    """Law 93/2025/QH15 Art. 9: a broken condition recovers the unused balance and the amount
    used outside the approved purpose or scope (closeout.broken_condition_recovery default)."""
    assert regime_on(SPANS, date(2025, 11, 1)) == LAW93
    ev = Evaluation(
        Rating.FAIL,
        Conditions(Y, Y, Y, N),
        outside_purpose_vnd=50 * M,
        outside_purpose_evidence="Hóa đơn thiết bị ngoài dự toán",
    )
    result = close(ev, LAW93)
    assert (result.outcome, result.refund_vnd) == (Outcome.NONCOMPLIANT_FAILURE, 150 * M)
    assert (result.liability, result.mark_against_future) == (True, True)
    assert "Law 93/2025/QH15 Art. 9" in result.basis


@pytest.mark.parametrize("regime", [RES193, LAW93])
def test_fraud_recovers_everything_disbursed(regime):
    """Law 93/2025/QH15 Art. 9 and Resolution 193/2025/QH15 Art. 4: no exemption for fraud."""
    result = close(Evaluation(Rating.FAIL, Conditions(Y, N, Y, Y)), regime)
    assert (result.refund_vnd, result.liability) == (1000 * M, True)
    assert "fraud" in result.basis


def test_full_recovery_setting_recovers_everything_for_a_procedural_breach():
    """Law 93/2025/QH15 Art. 9 read strictly: closeout.broken_condition_recovery = full."""
    ev = Evaluation(Rating.FAIL, Conditions(N, Y, Y, Y))
    assert close(ev, LAW93).refund_vnd == 100 * M  # proportionate: nothing used outside scope
    assert close(ev, LAW93, broken_condition_recovery="full").refund_vnd == 1000 * M


@pytest.mark.parametrize("regime", [LEGACY, RES193, LAW93])
def test_lump_sum_task_passing_keeps_its_savings(regime):
    """Decree 95/2014/NĐ-CP: the savings of a lump-sum task accepted as passing stay with the
    host; under every regime."""
    ev = Evaluation(Rating.PASS, indicators={1: True}, measured={1: "96%"})
    result = close(ev, regime, mode="lump_sum")
    assert (result.outcome, result.refund_vnd, result.savings_vnd) == (
        Outcome.SUCCESS,
        0,
        100 * M,
    )
    assert "Decree 95/2014/NĐ-CP" in result.basis


@pytest.mark.parametrize("regime", [LEGACY, RES193, LAW93])
def test_itemised_task_passing_returns_its_unused_balance(regime):
    """Circular 27/2015/TTLT-BKHCN-BTC, Resolution 193/2025/QH15, Law 93/2025/QH15 alike."""
    result = close(Evaluation(Rating.EXCELLENT), regime)
    assert (result.refund_vnd, result.savings_vnd, result.liability) == (100 * M, 0, False)


@pytest.mark.parametrize("regime", ["legacy", "res193", "law93"])
def test_a_missing_condition_answer_on_a_failed_project_is_refused(regime):
    """Law 93/2025/QH15 Art. 9: the four conditions are answered, never defaulted."""
    ev = Evaluation(Rating.FAIL, Conditions(Y, None, Y, None), cause=Cause.OBJECTIVE)
    assert fields_refused(ev, regime) == ["no_fraud", "funds_within_purpose"]


def test_not_assessed_cannot_conclude_as_a_compliant_failure():
    """Resolution 193/2025/QH15 Art. 4: the exemption needs procedure shown to be followed."""
    ev = Evaluation(Rating.FAIL, Conditions(NA, Y, Y, Y), evidence="x", conclusion="y")
    assert fields_refused(ev, "res193") == ["procedures_followed"]


def test_a_compliant_failure_needs_its_evidence_and_the_acceptance_conclusion():
    """Resolution 193/2025/QH15 Art. 4; Decree 88/2025/NĐ-CP: documents showing procedure."""
    ev = Evaluation(Rating.FAIL, ALL_YES, evidence=" \n ", conclusion="")
    assert fields_refused(ev, "law93") == ["evidence", "conclusion"]


@pytest.mark.parametrize(
    "answer, amount, evidence, refused",
    [
        (N, 0, "", ["outside_purpose_vnd"]),  # the amount and its evidence are required
        (N, 50 * M, "", ["outside_purpose_vnd"]),
        (N, 901 * M, "hóa đơn", ["outside_purpose_vnd"]),  # above the funds used
        (Y, 10 * M, "hóa đơn", ["outside_purpose_vnd"]),  # an amount means the answer is no
        (N, 900 * M, "hóa đơn", []),
    ],
)
def test_the_amount_outside_purpose_lies_between_0_and_the_funds_used(
    answer, amount, evidence, refused
):
    """Law 93/2025/QH15 Art. 9: funds used within the approved purpose and scope."""
    ev = Evaluation(
        Rating.FAIL,
        Conditions(Y, Y, Y, answer),
        outside_purpose_vnd=amount,
        outside_purpose_evidence=evidence,
        evidence="e",
        conclusion="c",
    )
    assert fields_refused(ev, "law93") == refused


@pytest.mark.parametrize(
    "rating, met, measured, refused",
    [
        (Rating.PASS, {1: True, 2: None}, {1: "96%"}, ["indicator_2"]),  # left unchecked
        (Rating.EXCELLENT, {1: True, 2: False}, {1: "96%", 2: "80%"}, ["indicator_2"]),
        (Rating.PASS, {1: True}, {}, ["measured_1"]),
        (Rating.PASS, {1: True, 2: True}, {1: "96%", 2: "99%"}, []),
        (Rating.FAIL, {1: False}, {1: "80%"}, []),  # a failure judges the conditions instead
    ],
)
def test_a_lump_sum_task_passes_only_with_every_indicator_checked_and_met(
    rating, met, measured, refused
):
    """Resolution 193/2025/QH15 Art. 4: lump sum to final product with committed indicators."""
    ev = Evaluation(
        rating, ALL_YES, evidence="e", conclusion="c", indicators=met, measured=measured
    )
    assert fields_refused(ev, "res193", mode="lump_sum") == refused


@pytest.mark.parametrize(
    "contract, target, allowed",
    [
        (date(2025, 1, 10), "res193", True),  # a transitional case opts into the new regime
        (date(2025, 1, 10), "law93", True),
        (date(2025, 1, 10), "legacy", True),  # back to the regime of its date
        (date(2025, 11, 1), "legacy", False),  # never to earlier rules than its date's
        (date(2025, 11, 1), "nonsense", False),
    ],
)
def test_a_transitional_override_moves_only_to_a_later_regime(contract, target, allowed):
    """Resolution 193/2025/QH15 transitional cases (setting closeout.transitional_override)."""
    assert override_allowed(SPANS, contract, target) is allowed


def test_used_funds_cannot_exceed_what_was_paid():
    with pytest.raises(ValueError, match="used funds must lie between"):
        consequences(
            Evaluation(Rating.PASS),
            regime=LAW93,
            funding_mode="itemised",
            disbursed_vnd=10,
            used_vnd=11,
        )
