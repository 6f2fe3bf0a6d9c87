"""Second-factor services on a real database: replay, recovery codes, throttle, sealing."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from funds.accounts.mfa import rules, services
from funds.accounts.mfa.errors import SecondFactorMandatory, WrongCode
from funds.accounts.mfa.models import RecoveryCode, TotpCredential
from funds.audit.models import AuditEntry
from funds.clock import utcnow


def code(user, offset=0, now=None):
    return rules.code_at(user.totp_secret, rules.time_step(now or utcnow()) + offset)


def test_a_code_is_accepted_once_and_an_older_one_never_after(session, make):
    user = make.user("applicant", totp=True)
    now = utcnow()
    assert services.check_code(session, user_id=user.id, code=code(user, 0, now), now=now).ok
    assert not services.check_code(session, user_id=user.id, code=code(user, 0, now), now=now).ok
    assert not services.check_code(session, user_id=user.id, code=code(user, -1, now), now=now).ok
    assert services.check_code(session, user_id=user.id, code=code(user, 1, now), now=now).ok


def test_a_step_used_by_a_concurrent_request_is_not_used_again(session, make):
    user = make.user("applicant", totp=True)
    cred = session.exec(select(TotpCredential).where(TotpCredential.user_id == user.id)).one()
    step = rules.time_step(utcnow()) + 1
    with Session(session.get_bind()) as other:  # another request uses the step first
        assert services._use_step(other, other.get(TotpCredential, cred.id), step)
        other.commit()
    assert cred.last_used_step < step  # this request read the row before that
    assert not services._use_step(session, cred, step)


def test_a_recovery_code_works_once_and_the_rest_stay(session, make):
    user = make.user("applicant", totp=True)
    spare = user.totp_recovery_codes[0]
    first = services.check_code(session, user_id=user.id, code=spare)
    assert first.method == "recovery_code"
    assert first.recovery_codes_left == 9
    assert not services.check_code(session, user_id=user.id, code=spare).ok
    assert services.check_code(session, user_id=user.id, code=user.totp_recovery_codes[1]).ok


def test_recovery_codes_are_stored_hashed(session, make):
    make.user("applicant", totp=True)
    stored = [r.code_hash for r in session.exec(select(RecoveryCode))]
    assert len(stored) == 10
    assert all(h.startswith("$argon2id$") for h in stored)


def test_ten_wrong_codes_lock_the_code_step_even_for_the_right_code(session, make):
    user = make.user("applicant", totp=True)
    now = utcnow()
    for i in range(10):
        # far enough apart that the growing delay never refuses a check
        check = services.check_code(
            session, user_id=user.id, code="000000", now=now + timedelta(seconds=40 * i)
        )
        assert not check.ok
        assert check.refused is None
    assert check.locked_now
    later = now + timedelta(seconds=400)
    refused = services.check_code(session, user_id=user.id, code=code(user, 0, later), now=later)
    assert refused.refused is not None
    assert refused.refused.locked
    actions = [a for a in session.exec(select(AuditEntry.action)) if a.startswith("mfa_code")]
    assert actions.count("mfa_code_failed") == 9
    assert "mfa_code_locked" in actions


def test_the_key_is_sealed_and_bound_to_its_account(session, make):
    user = make.user("applicant", totp=True)
    cred = session.exec(select(TotpCredential).where(TotpCredential.user_id == user.id)).one()
    assert user.totp_secret not in cred.secret
    assert rules.unseal(cred.secret, key=services.sealing_key, user_id=user.id + 1) is None


def test_confirming_with_a_wrong_code_changes_nothing(session, make):
    user = make.user("applicant")
    services.start_enrolment(session, actor=user)
    with pytest.raises(WrongCode):
        services.confirm_enrolment(session, actor=user, code="12345a")
    assert not services.is_enrolled(session, user_id=user.id)


def test_replacing_the_app_keeps_the_old_one_until_the_new_one_is_confirmed(session, make):
    user = make.user("applicant", totp=True)
    new = services.start_enrolment(session, actor=user)
    assert services.check_code(session, user_id=user.id, code=code(user, 1)).ok
    services.confirm_enrolment(
        session, actor=user, code=rules.code_at(new.secret, rules.time_step(utcnow()))
    )
    assert not services.check_code(session, user_id=user.id, code=code(user, 1)).ok


def test_managers_cannot_turn_it_off_but_an_administrator_can_reset_it(session, make):
    manager = make.user("manager")
    with pytest.raises(SecondFactorMandatory):
        services.disable(session, actor=manager)
    services.reset_for_user(session, actor=make.user("admin"), user_id=manager.id)
    assert not services.is_enrolled(session, user_id=manager.id)


def test_no_secret_or_code_reaches_the_audit_log(session, make):
    user = make.user("manager")
    services.check_code(session, user_id=user.id, code=user.totp_recovery_codes[0])
    services.check_code(session, user_id=user.id, code="999999")
    details = " ".join(e.detail for e in session.exec(select(AuditEntry)))
    assert user.totp_secret not in details
    assert not any(c in details or c.replace("-", "") in details for c in user.totp_recovery_codes)


def test_after_the_sealing_key_changes_codes_fail_but_recovery_codes_work(
    session, make, monkeypatch
):
    user = make.user("manager")
    monkeypatch.setattr(services, "sealing_key", rules.derive_key("a rotated key"))
    assert not services.check_code(session, user_id=user.id, code=code(user, 1)).ok
    assert services.check_code(session, user_id=user.id, code=user.totp_recovery_codes[0]).ok
