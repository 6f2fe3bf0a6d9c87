"""Submission services on a real database: once, on time, every version kept."""

import hashlib
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.errors import CallClosed, NotFound, RuleViolation, StaleEdit
from funds.proposals import services as proposal_svc
from funds.proposals.models import Proposal, ProposalStatus, Submission
from funds.proposals.permissions import can_edit_proposal
from funds.submission import services as svc
from funds.submission.files import add_attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def test_submitting_stores_an_immutable_snapshot_whose_hash_matches(session, make):
    p = make.proposal(title="Vi mạch tiết kiệm năng lượng")
    pi_id = p.pi_id
    sub = svc.submit(session, actor=session.get(type(make.manager()), pi_id), proposal_id=p.id)
    session.commit()
    assert hashlib.sha256(sub.snapshot.encode("utf-8")).hexdigest() == sub.sha256
    snap = json.loads(sub.snapshot)
    assert snap["proposal"]["title"] == "Vi mạch tiết kiệm năng lượng"
    assert snap["budget"]["total_vnd"] == 1_000_000_000
    assert sub.receipt_no.endswith(f"{p.id:06d}-1")


def test_a_second_submit_returns_the_same_receipt_and_adds_nothing(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    first = svc.submit(session, actor=pi, proposal_id=p.id)
    session.commit()
    again = svc.submit(session, actor=pi, proposal_id=p.id)
    session.commit()
    assert again.id == first.id
    assert len(session.exec(select(Submission)).all()) == 1


def test_submission_after_the_closing_instant_is_refused(session, make):
    pi = make.user("applicant")
    call = make.call()
    p = make.proposal(pi=pi, call=call)
    with pytest.raises(CallClosed):
        svc.submit(session, actor=pi, proposal_id=p.id, now=call.closes_at)
    svc.submit(session, actor=pi, proposal_id=p.id, now=call.closes_at - timedelta(microseconds=1))


def test_a_submit_based_on_a_stale_version_is_refused(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    with pytest.raises(StaleEdit):
        svc.submit(session, actor=pi, proposal_id=p.id, expected_version=p.version_id - 1)


def test_reopen_and_resubmit_keeps_every_version(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    svc.submit(session, actor=pi, proposal_id=p.id)
    svc.reopen(session, actor=pi, proposal_id=p.id)
    proposal_svc.update_draft(
        session,
        actor=pi,
        proposal_id=p.id,
        expected_version=session.get(Proposal, p.id).version_id,
        values={"title": "Phiên bản hai"},
    )
    second = svc.submit(session, actor=pi, proposal_id=p.id)
    session.commit()
    versions = svc.submissions_of(session, p.id)
    assert [(v.version_no, v.status) for v in versions] == [(1, "superseded"), (2, "current")]
    assert json.loads(versions[0].snapshot)["proposal"]["title"] == "Nghiên cứu chip bán dẫn"
    assert json.loads(second.snapshot)["proposal"]["title"] == "Phiên bản hai"


def test_withdrawal_keeps_the_version_on_record(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    svc.submit(session, actor=pi, proposal_id=p.id)
    svc.withdraw(session, actor=pi, proposal_id=p.id)
    assert session.get(Proposal, p.id).status == "withdrawn"
    assert svc.current_submission(session, p.id).status == "withdrawn"


def test_the_calls_limit_of_proposals_per_pi_holds(session, make):
    pi = make.user("applicant")
    call = make.call(max_proposals_per_pi=1)
    make.proposal(pi=pi, call=call, submit=True)
    second = make.proposal(pi=pi, call=call)
    with pytest.raises(RuleViolation) as caught:
        svc.submit(session, actor=pi, proposal_id=second.id)
    assert [v.field for v in caught.value.violations] == ["call"]


def test_required_attachments_must_be_present_then_their_hash_is_in_the_snapshot(
    session, make, tmp_path
):
    pi = make.user("applicant")
    call = make.call(required_attachments=["description"])
    p = make.proposal(pi=pi, call=call)
    with pytest.raises(RuleViolation):
        svc.submit(session, actor=pi, proposal_id=p.id)
    session.rollback()
    a = add_attachment(
        session,
        actor=pi,
        proposal_id=p.id,
        kind="description",
        filename="đề cương.pdf",
        data=PDF,
        directory=tmp_path,
    )
    sub = svc.submit(session, actor=pi, proposal_id=p.id)
    assert (tmp_path / a.stored_name).read_bytes() == PDF
    assert json.loads(sub.snapshot)["attachments"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_other_users_cannot_submit_or_see_a_proposal(session, make):
    p = make.proposal()
    stranger = make.user("applicant")
    with pytest.raises(NotFound):
        svc.submit(session, actor=stranger, proposal_id=p.id)


def test_a_copy_starts_a_new_draft_with_every_section(session, make):
    pi = make.user("applicant")
    old = make.proposal(pi=pi, counterparts=[("Công ty Viettel", 300_000_000)])
    new_call = make.call(title="Đợt 2")
    copy = proposal_svc.copy_proposal(session, actor=pi, proposal_id=old.id, call_id=new_call.id)
    session.commit()
    assert (copy.call_id, copy.title, copy.copied_from_id) == (new_call.id, old.title, old.id)
    assert copy.requested_vnd == old.requested_vnd
    svc.submit(session, actor=pi, proposal_id=copy.id)


def test_a_copy_into_a_closed_call_is_refused(session, make):
    pi = make.user("applicant")
    old = make.proposal(pi=pi)
    closed = make.call(opens_in=timedelta(days=-10), closes_in=timedelta(days=-1))
    with pytest.raises(CallClosed):
        proposal_svc.copy_proposal(session, actor=pi, proposal_id=old.id, call_id=closed.id)
    assert utcnow() > closed.closes_at


def test_save_summary_changes_only_this_pis_draft_at_the_expected_version(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    stranger = make.user("applicant")
    v = p.version_id
    assert (
        proposal_svc.save_summary(
            session,
            actor_id=stranger.id,
            proposal_id=p.id,
            expected_version=v,
            values={"abstract": "x"},
        )
        is None
    )
    assert (
        proposal_svc.save_summary(
            session,
            actor_id=pi.id,
            proposal_id=p.id,
            expected_version=v - 1,
            values={"abstract": "x"},
        )
        is None
    )
    saved = proposal_svc.save_summary(
        session,
        actor_id=pi.id,
        proposal_id=p.id,
        expected_version=v,
        values={"title": "  Cảm biến lượng tử  ", "abstract": "Mới"},
    )
    session.commit()
    assert (saved.version_id, saved.requested_vnd) == (v + 1, p.requested_vnd)
    session.expire_all()
    row = session.get(Proposal, p.id)
    assert (row.title, row.abstract, row.version_id) == ("Cảm biến lượng tử", "Mới", v + 1)
    entries = session.exec(
        select(AuditEntry).where(
            AuditEntry.object_type == "proposal",
            AuditEntry.object_id == p.id,
            AuditEntry.action == "save",
        )
    ).all()
    assert [(e.actor_id, e.detail) for e in entries] == [(pi.id, "abstract,title")]
    assert entries[0].at.tzinfo is not None


@pytest.mark.parametrize(
    "own, status, active",
    [
        (own, status, active)
        for own in (True, False)
        for status in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
        for active in (True, False)
    ],
)
def test_the_autosave_update_and_the_edit_predicate_agree(session, make, own, status, active):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    actor = pi if own else make.user("applicant")
    p.status, actor.is_active = status, active
    session.add_all([p, actor])
    session.commit()
    allowed = can_edit_proposal(p, actor)
    saved = proposal_svc.save_summary(
        session,
        actor_id=actor.id,
        proposal_id=p.id,
        expected_version=p.version_id,
        values={"abstract": "x"},
    )
    assert (saved is not None) == allowed == (own and status == ProposalStatus.DRAFT and active)


def test_save_summary_leaves_a_submitted_proposal_alone_and_checks_the_rules(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    with pytest.raises(RuleViolation):
        proposal_svc.save_summary(
            session,
            actor_id=pi.id,
            proposal_id=p.id,
            expected_version=p.version_id,
            values={"trl_now": 12},
        )
    with pytest.raises(ValueError, match="summary fields only"):
        proposal_svc.save_summary(
            session,
            actor_id=pi.id,
            proposal_id=p.id,
            expected_version=p.version_id,
            values={"budget_lines": []},
        )
    svc.submit(session, actor=pi, proposal_id=p.id)
    session.commit()
    v = session.get(Proposal, p.id).version_id
    assert (
        proposal_svc.save_summary(
            session,
            actor_id=pi.id,
            proposal_id=p.id,
            expected_version=v,
            values={"abstract": "late"},
        )
        is None
    )
    session.expire_all()
    assert session.get(Proposal, p.id).abstract != "late"
