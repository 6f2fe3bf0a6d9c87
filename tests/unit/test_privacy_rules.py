"""Pure rules of personal-data rights."""

from datetime import UTC, datetime

import pytest

from funds.consent.rules import ConsentState, consent_state, may_propose
from funds.privacy.rules import (
    RETENTION,
    confirmation_matches,
    draft_is_erasable,
    erasure_violations,
    pseudonym_email,
    pseudonym_name,
    retention_years,
)

JAN, FEB = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 2, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "events, given_at, state",
    [
        ([], None, ConsentState.NEVER),
        ([], JAN, ConsentState.GIVEN),
        ([("given", JAN), ("withdrawn", FEB)], None, ConsentState.WITHDRAWN),
        ([("withdrawn", JAN), ("given", FEB)], FEB, ConsentState.GIVEN),
        ([("withdrawn", FEB), ("given", JAN)], None, ConsentState.WITHDRAWN),
    ],
)
def test_the_latest_consent_event_decides(events, given_at, state):
    assert consent_state(events, given_at=given_at) == state


@pytest.mark.parametrize(
    "state, allowed",
    [
        (ConsentState.GIVEN, True),
        (ConsentState.NEVER, True),
        (ConsentState.WITHDRAWN, False),
    ],
)
def test_only_a_withdrawal_stops_new_proposals(state, allowed):
    assert may_propose(state) is allowed


def test_pseudonyms_carry_the_tag_and_an_address_that_never_delivers():
    assert pseudonym_name("1a2b3c4d") == "Người dùng đã xoá #1a2b3c4d"
    assert pseudonym_email("1a2b3c4d") == "deleted-1a2b3c4d@invalid.example"


@pytest.mark.parametrize(
    "typed, ok",
    [
        ("an@example.org", True),
        ("  AN@Example.org ", True),
        ("", False),
        ("an@example.com", False),
    ],
)
def test_the_confirmation_is_the_accounts_email_typed_out(typed, ok):
    assert confirmation_matches(typed, "an@example.org") is ok


def test_a_running_contract_and_a_missing_confirmation_each_stop_an_erasure():
    found = erasure_violations(already_erased=False, active_contracts=["HD-1"], confirmed=False)
    assert [v.params for v in found] == [{"contracts": "HD-1"}, {}]
    assert erasure_violations(already_erased=False, active_contracts=[], confirmed=True) == []


@pytest.mark.parametrize(
    "status, versions, erasable",
    [
        ("draft", 0, True),
        ("draft", 1, False),
        ("submitted", 1, False),
        ("funded", 1, False),
    ],
)
def test_only_a_never_submitted_draft_is_deleted_whole(status, versions, erasable):
    assert draft_is_erasable(status, versions) is erasable


def test_retention_periods_are_settings_with_defaults():
    assert retention_years({}) == {"submitted": 10, "contract": 10, "consent": 10, "audit": 10}
    assert retention_years({"PRIVACY_RETAIN_CONTRACT_YEARS": "20"})["contract"] == 20
    assert {r.key for r in RETENTION} >= {"account", "draft", "submitted", "contract", "audit"}
