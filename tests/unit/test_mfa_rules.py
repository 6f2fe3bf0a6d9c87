"""Second-factor rules: drift window, replay, recovery-code shape, sealing, roles."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from funds.accounts.mfa import rules

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 12, 1, 8, 0, 15, tzinfo=UTC)
STEP = rules.time_step(NOW)


def code(offset: int) -> str:
    return rules.code_at(SECRET, STEP + offset)


def test_codes_are_those_of_a_standard_authenticator():
    assert rules.code_at(SECRET, STEP) == pyotp.TOTP(SECRET).at(NOW)


@pytest.mark.parametrize(
    "offset, accepted",
    [
        (-2, False),
        (-1, True),
        (0, True),
        (1, True),
        (2, False),
    ],
)
def test_one_step_of_drift_either_way_is_accepted(offset, accepted):
    got = rules.accepted_step(SECRET, code(offset), step=STEP, last_used_step=None)
    assert got == (STEP + offset if accepted else None)


@pytest.mark.parametrize(
    "last_used, offset, accepted",
    [
        (0, 0, False),  # the same code again: a replay
        (0, -1, False),  # an older code after a newer one
        (0, 1, True),  # the next code
        (-1, 0, True),
        (1, 1, False),
        (-5, -1, True),
    ],
)
def test_a_code_is_never_accepted_twice_nor_after_a_later_one(last_used, offset, accepted):
    got = rules.accepted_step(SECRET, code(offset), step=STEP, last_used_step=STEP + last_used)
    assert (got is not None) == accepted


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(typed):
    assert rules.accepted_step(SECRET, typed, step=STEP, last_used_step=None) is None


def test_spaces_and_dashes_in_a_typed_code_are_ignored():
    typed = code(0)[:3] + " " + code(0)[3:]
    assert rules.accepted_step(SECRET, typed, step=STEP, last_used_step=None) == STEP


@pytest.mark.parametrize(
    "typed, ok",
    [
        ("ABCD-EFGH-JKMN", True),
        ("abcd efgh jkmn", True),
        ("ABCDEFGHJKMN", True),
        ("ABCD-EFGH-JKM", False),
        ("ABCD-EFGH-JKM0", False),
        ("123456", False),
    ],
)
def test_recovery_codes_have_one_shape(typed, ok):
    assert rules.looks_like_recovery_code(typed) is ok


def test_recovery_codes_are_shown_in_groups_of_four():
    assert rules.format_recovery_code("abcdefghjkmn") == "ABCD-EFGH-JKMN"


def test_the_key_is_grouped_for_typing_and_the_uri_names_the_issuer():
    assert rules.grouped_key(SECRET).split() == ["JBSW", "Y3DP", "EHPK", "3PXP"] * 2
    uri = rules.provisioning_uri(SECRET, account="an@example.org", issuer="rdfund")
    assert uri.startswith("otpauth://totp/rdfund:an%40example.org?")
    assert SECRET in uri


@pytest.mark.parametrize(
    "roles, mandatory",
    [
        ({"admin"}, True),
        ({"manager"}, True),
        ({"applicant", "manager"}, True),
        ({"reviewer"}, False),
        ({"applicant"}, False),
        (set(), False),
    ],
)
def test_the_second_factor_is_mandatory_for_administrators_and_managers(roles, mandatory):
    assert rules.is_mandatory(roles) is mandatory


@pytest.mark.parametrize(
    "failures, back, remaining",
    [
        (1, False, 4),
        (4, False, 1),
        (5, True, 0),
        (6, False, 4),
        (10, True, 0),
    ],
)
def test_every_fifth_wrong_code_sends_back_to_the_password(failures, back, remaining):
    assert rules.after_wrong_code(failures) == rules.SignInAttempts(back, remaining)


@pytest.mark.parametrize(
    "age, valid",
    [
        (timedelta(0), True),
        (timedelta(minutes=5), True),
        (timedelta(minutes=5, seconds=1), False),
        (timedelta(seconds=-1), False),
    ],
)
def test_the_password_step_is_good_for_five_minutes(age, valid):
    assert rules.pending_valid(NOW - age, NOW) is valid


def test_a_sealed_secret_opens_only_with_its_key_and_its_account():
    key = rules.derive_key("application-secret")
    sealed = rules.seal(SECRET, key=key, user_id=7, nonce=bytes(12))
    assert SECRET not in sealed
    assert sealed.startswith("v1.")
    assert rules.unseal(sealed, key=key, user_id=7) == SECRET
    assert rules.unseal(sealed, key=key, user_id=8) is None
    assert rules.unseal(sealed, key=rules.derive_key("another"), user_id=7) is None
    assert rules.unseal("v0." + sealed[3:], key=key, user_id=7) is None
    assert rules.unseal("v1.not-base64!", key=key, user_id=7) is None
