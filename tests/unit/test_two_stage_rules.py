"""Pure rules of two-stage calls: the stage windows, each stage's checklist, what a decision
means at each stage, when a full proposal may start, and the timeline's stage."""

from datetime import UTC, datetime, timedelta

import pytest

from funds.calls.rules import (
    CallRules,
    Stage,
    stage_closes_at,
    stage_is_open,
    stage_violations,
)
from funds.letters.rules import Candidate, check_selection
from funds.proposals.eligibility import ProposalFacts, eligibility, failing
from funds.proposals.rules import stage_outcome
from funds.stages.rules import DEADLINE_PASSED, OutlineFacts, full_proposal_refusal
from funds.timeline.rules import Facts, Step, timeline

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def rules(**kw) -> CallRules:
    base = dict(
        opens_at=NOW - 10 * DAY,
        closes_at=NOW + DAY,
        ceiling_vnd=1_000_000_000,
        open_to_all_areas=True,
        eligible_areas=frozenset(),
        required_attachments=frozenset({"description"}),
        two_stage=True,
        outline_max_chars=100,
        full_closes_at=NOW + 60 * DAY,
    )
    return CallRules(**(base | kw))


def outline(**kw) -> ProposalFacts:
    base = dict(
        title="Pin natri",
        title_en="Sodium batteries",
        abstract="Ý tưởng ngắn.",
        keywords="pin",
        area_code=None,
        trl_now=None,
        trl_target=None,
        duration_months=None,
        budget_lines=(),
        work_packages=0,
        attachment_kinds=frozenset(),
        stage=Stage.OUTLINE,
        requested_vnd=800_000_000,
    )
    return ProposalFacts(**(base | kw))


@pytest.mark.parametrize(
    "stage, now, is_open",
    [
        (Stage.OUTLINE, NOW, True),
        (Stage.OUTLINE, NOW + 2 * DAY, False),
        (Stage.FULL, NOW + 2 * DAY, True),
        (Stage.FULL, NOW + 60 * DAY, False),  # the deadline itself is too late
    ],
)
def test_each_stage_is_open_until_its_own_deadline(stage, now, is_open):
    assert stage_is_open(rules(), stage, now) is is_open


def test_a_single_stage_call_has_one_window_whatever_the_stage_says():
    single = rules(two_stage=False, full_closes_at=None)
    assert not stage_is_open(single, Stage.FULL, NOW + 2 * DAY)
    assert stage_closes_at(single, Stage.FULL) == single.closes_at


@pytest.mark.parametrize(
    "full_closes_at, refused",
    [(None, True), (NOW + DAY, True), (NOW, True), (NOW + 2 * DAY, False)],
)
def test_a_two_stage_call_needs_a_full_deadline_after_the_outlines_close(full_closes_at, refused):
    found = stage_violations(two_stage=True, closes_at=NOW + DAY, full_closes_at=full_closes_at)
    assert bool(found) is refused
    assert all(v.field == "full_closes_at" for v in found)
    assert stage_violations(two_stage=False, closes_at=NOW, full_closes_at=None) == []


def test_an_outline_passes_without_work_plan_budget_table_or_files():
    assert failing(eligibility(outline(), rules(), NOW)) == []


@pytest.mark.parametrize(
    "change, key",
    [
        ({"abstract": "x" * 101}, "outline"),
        ({"abstract": ""}, "outline"),
        ({"requested_vnd": 0}, "envelope"),
        ({"requested_vnd": 1_000_000_001}, "envelope"),
        ({"title_en": ""}, "title"),
        ({"keywords": ""}, "keywords"),
    ],
)
def test_an_outline_fails_on_its_own_checks(change, key):
    assert [i.key for i in failing(eligibility(outline(**change), rules(), NOW))] == [key]


def test_a_full_proposal_of_a_two_stage_call_has_every_check_and_its_own_deadline():
    full = outline(stage=Stage.FULL)
    keys = {i.key for i in failing(eligibility(full, rules(), NOW + 2 * DAY))}
    assert {"work_plan", "budget", "trl", "duration", "attachments"} <= keys
    assert "open" not in keys  # after the outlines closed, before the full deadline
    late = failing(eligibility(full, rules(), NOW + 61 * DAY))
    assert "open" in {i.key for i in late}


@pytest.mark.parametrize(
    "stage, given, means",
    [
        (Stage.OUTLINE, "funded", "shortlisted"),  # the funding line or a council on outlines
        (Stage.OUTLINE, "not_funded", "not_shortlisted"),
        (Stage.OUTLINE, "shortlisted", "shortlisted"),
        (Stage.FULL, "funded", "funded"),
        (Stage.FULL, "shortlisted", None),
    ],
)
def test_a_decision_means_what_its_stage_allows(stage, given, means):
    assert stage_outcome(stage, given) == means


def invited(**kw) -> OutlineFacts:
    base = dict(
        is_outline=True,
        shortlisted=True,
        invited=True,
        full_started=False,
        full_closes_at=NOW + DAY,
    )
    return OutlineFacts(**(base | kw))


@pytest.mark.parametrize(
    "change, refused",
    [
        ({}, False),
        ({"shortlisted": False}, True),
        ({"is_outline": False}, True),
        ({"invited": False}, True),
        ({"full_started": True}, True),
        ({"full_closes_at": NOW}, True),
        ({"full_closes_at": None}, True),
    ],
)
def test_a_full_proposal_starts_only_from_an_invited_outline_before_the_deadline(change, refused):
    assert (full_proposal_refusal(invited(**change), NOW) is not None) is refused


def test_after_the_deadline_the_refusal_names_it():
    assert full_proposal_refusal(invited(full_closes_at=NOW - DAY), NOW) == DEADLINE_PASSED


def test_the_outline_timeline_ends_with_its_shortlisting_and_points_to_the_full_stage():
    f = Facts(
        status="shortlisted",
        created_at=NOW - 20 * DAY,
        call_closes_at=NOW - 5 * DAY,
        submitted_at=NOW - 10 * DAY,
        decided_at=NOW - DAY,
        outcome="shortlisted",
        stage="outline",
        full_closes_at=NOW + 30 * DAY,
    )
    t = timeline(f, NOW)
    assert [line.step for line in t.steps][-1] == Step.DECIDED
    assert t.stage_label == "Stage 1 of 2: pre-proposal"
    assert t.next is not None
    assert t.next.deadline == NOW + 30 * DAY
    ended = timeline(Facts(**(f.__dict__ | {"outcome": "not_shortlisted"})), NOW)
    assert ended.next is None
    assert timeline(Facts(**(f.__dict__ | {"stage": None})), NOW).stage_label is None


def test_the_letters_check_counts_shortlistings_apart_from_funding_decisions():
    candidates = [
        Candidate(1, "Có tiền", True, 500, False),
        Candidate(2, "Không tiền", False, 0, False),
        Candidate(3, "Vòng 2", False, 0, False, shortlisting="shortlisted"),
        Candidate(4, "Dừng", False, 0, False, shortlisting="not_shortlisted"),
    ]
    found = check_selection(candidates, [1, 2, 3, 4], call_budget_vnd=1000)
    assert (found.funded_count, found.not_funded_count) == (1, 1)
    assert (found.shortlisted_count, found.not_shortlisted_count) == (1, 1)
    assert found.funded_call_vnd == 500
