"""Host organisations on a real database: the register and its duplicates, what a host
officer sees, and the endorsement of submitted versions before the funding decision."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from funds.accounts.models import User
from funds.audit.models import AuditEntry
from funds.clock import utcnow
from funds.errors import NotAllowed, NotFound, RuleViolation
from funds.hosts import queries as host_queries
from funds.hosts import services as hosts
from funds.hosts.errors import DuplicateHost, EndorsementClosed
from funds.hosts.models import Endorsement, HostStatus
from funds.projects import services as projects
from funds.proposals import services as proposal_svc
from funds.submission import files
from funds.submission import services as submission_svc
from reviews.consolidation.services import refuse_unendorsed

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def test_an_organisation_is_registered_once_by_tax_code(session, make):
    host = make.host(name_vi="Trường Đại học Bách khoa Hà Nội", tax_code="0100105870")
    with pytest.raises(DuplicateHost) as refused:
        hosts.register_host(
            session,
            actor=make.admin(),
            name_vi="Một tên khác hẳn",
            tax_code="0100 105 870",
            allow_duplicate=True,  # a tax code is never shared, whatever the keeper says
        )
    assert refused.value.violations[0].field == "tax_code"
    assert refused.value.params["name"] == host.name_vi


def test_a_folded_name_already_registered_is_refused_unless_the_keeper_says_it_is_another(
    session, make
):
    make.host(name_vi="Trường Đại học Bách khoa Hà Nội", tax_code="0100105870")
    with pytest.raises(DuplicateHost) as refused:
        hosts.register_host(session, actor=make.manager(), name_vi="ĐH BÁCH KHOA HÀ NỘI")
    assert refused.value.violations[0].field == "name_vi"
    session.rollback()
    again = hosts.register_host(
        session, actor=make.manager(), name_vi="Dai hoc Bach khoa Ha Noi", allow_duplicate=True
    )
    assert again.folded_name == "bach khoa ha noi"


@pytest.mark.parametrize("code", ["12345", "0100105870-01", "01001058701234", "abcdefghij"])
def test_a_malformed_tax_code_is_refused_at_its_field(session, make, code):
    with pytest.raises(RuleViolation) as refused:
        hosts.register_host(session, actor=make.admin(), name_vi="Viện Vật lý", tax_code=code)
    assert refused.value.violations[0].field == "tax_code"


def test_only_administrators_and_managers_keep_the_register_and_every_change_is_audited(
    session, make
):
    with pytest.raises(NotAllowed):
        hosts.register_host(session, actor=make.user("applicant"), name_vi="Viện Toán học")
    host = make.host(name_vi="Viện Toán học")
    hosts.update_host(
        session,
        actor=make.manager(),
        host_id=host.id,
        name_vi="Viện Toán học",
        tax_code=host.tax_code,
        address="18 Hoàng Quốc Việt, Hà Nội",
    )
    actions = session.exec(
        select(AuditEntry.action, AuditEntry.detail).where(
            AuditEntry.object_type == "host", AuditEntry.object_id == host.id
        )
    ).all()
    assert ("update", "address") in actions
    assert "create" in {a for a, _d in actions}


def test_an_applicant_asks_for_an_organisation_only_they_may_name_until_it_is_confirmed(
    session, make
):
    asker, other = make.user("applicant"), make.user("applicant")
    requested = hosts.request_host(session, actor=asker, name_vi="Công ty Cổ phần Chip Việt")
    assert requested.status == HostStatus.REQUESTED
    assert requested.id in {h.id for h in host_queries.pickable_hosts(session, asker.id)}
    assert requested.id not in {h.id for h in host_queries.pickable_hosts(session, other.id)}
    with pytest.raises(RuleViolation):
        hosts.choose_host(session, actor=other, host_id=requested.id)
    hosts.decide_host(session, actor=make.manager(), host_id=requested.id, confirm=True)
    assert hosts.choose_host(session, actor=other, host_id=requested.id).host_id == requested.id


def test_a_new_draft_names_the_host_of_the_pis_profile(session, make):
    host = make.host()
    pi = make.user("applicant")
    hosts.choose_host(session, actor=pi, host_id=host.id)
    assert make.proposal(pi=pi).host_id == host.id


# --- what a host officer sees -------------------------------------------------------------


@pytest.fixture
def two_hosts(session, make, tmp_path):
    """Hosts A and B, each with a submitted proposal carrying a file and a funded project,
    a draft at A, and an officer of A."""
    a, b = make.host(name_vi="Viện Hóa học"), make.host(name_vi="Viện Sinh học")
    call = make.call()
    found = {}
    for host in (a, b):
        p = make.proposal(call=call, host_id=host.id, commit=False)
        files.add_attachment(
            session,
            actor=session.get(User, p.pi_id),
            proposal_id=p.id,
            kind="cv",
            filename="cv.pdf",
            data=PDF,
            directory=tmp_path,
        )
        submission_svc.submit_proposal(session, actor=session.get(User, p.pi_id), proposal_id=p.id)
        proposal_svc.record_decision(
            session, actor=make.manager(), proposal_id=p.id, outcome="funded"
        )
        award = projects.create_award(
            session,
            actor=make.manager(),
            proposal_id=p.id,
            contract_number=f"HD-{p.id}",
            contract_date=date(2026, 1, 10),
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
        )
        found[host.name_vi] = (p, award)
    draft = make.proposal(call=call, host_id=a.id)
    session.commit()
    officer = make.host_officer(a)
    return a, b, officer, found, draft


def _attachment_of(session, proposal):
    from funds.proposals.models import Attachment

    return session.exec(select(Attachment).where(Attachment.proposal_id == proposal.id)).one()


def test_a_host_officer_sees_their_hosts_proposal_its_versions_files_and_project(
    session, two_hosts
):
    _a, _b, officer, found, _draft = two_hosts
    mine, award = found["Viện Hóa học"]
    assert proposal_svc.get_proposal_for(session, proposal_id=mine.id, actor=officer).id == mine.id
    attachment = _attachment_of(session, mine)
    assert files.get_attachment_for(session, attachment_id=attachment.id, actor=officer)
    assert projects.get_project_for(session, award_id=award.id, actor=officer)[1].id == mine.id


def test_a_host_officer_sees_nothing_of_another_host_nor_a_draft(session, two_hosts):
    _a, _b, officer, found, draft = two_hosts
    theirs, award = found["Viện Sinh học"]
    for proposal_id in (theirs.id, draft.id):
        with pytest.raises(NotFound):
            proposal_svc.get_proposal_for(session, proposal_id=proposal_id, actor=officer)
    with pytest.raises(NotFound):
        files.get_attachment_for(
            session, attachment_id=_attachment_of(session, theirs).id, actor=officer
        )
    with pytest.raises(NotFound):
        projects.get_project_for(session, award_id=award.id, actor=officer)


def test_a_host_officer_acts_on_nothing_of_their_hosts_proposal(session, make, two_hosts):
    _a, _b, officer, found, _draft = two_hosts
    mine, _award = found["Viện Hóa học"]
    with pytest.raises((NotAllowed, NotFound)):
        submission_svc.withdraw_proposal(session, actor=officer, proposal_id=mine.id)


def test_an_officer_unlinked_from_the_host_sees_nothing_on_the_next_request(
    session, make, two_hosts
):
    a, _b, officer, found, _draft = two_hosts
    hosts.unlink_officer(session, actor=make.admin(), host_id=a.id, user_id=officer.id)
    session.commit()
    session.expire_all()
    with pytest.raises(NotFound):
        proposal_svc.get_proposal_for(
            session, proposal_id=found["Viện Hóa học"][0].id, actor=officer
        )


# --- endorsement --------------------------------------------------------------------------


@pytest.fixture
def endorsing(session, make):
    """A call requiring the host's endorsement within 5 days of its deadline; a host with an
    officer; a proposal naming it, submitted."""
    host = make.host(name_vi="Trường Đại học Cần Thơ")
    officer = make.host_officer(host)
    call = make.call(requires_endorsement=True, endorsement_days=5)
    proposal = make.proposal(call=call, host_id=host.id, submit=True)
    return host, officer, call, proposal


def _pending(session, proposal) -> Endorsement:
    return host_queries.latest_endorsement(session, proposal.id)


def test_a_submission_to_a_call_requiring_endorsement_awaits_the_host_until_its_period_ends(
    session, endorsing
):
    _host, _officer, call, proposal = endorsing
    e = _pending(session, proposal)
    assert e.status == "pending"
    assert e.due_at == call.closes_at + timedelta(days=5)
    assert not host_queries.endorsement_ok(session, proposal.id)


def test_a_proposal_without_its_hosts_endorsement_cannot_be_funded(session, make, endorsing):
    _host, _officer, _call, proposal = endorsing
    with pytest.raises(RuleViolation) as refused:
        proposal_svc.record_decision(
            session, actor=make.manager(), proposal_id=proposal.id, outcome="funded"
        )
    assert "endorsed" in refused.value.message
    with pytest.raises(RuleViolation):
        refuse_unendorsed(session, [proposal.id])
    session.rollback()
    # "not funded" needs no endorsement
    proposal_svc.record_decision(
        session, actor=make.manager(), proposal_id=proposal.id, outcome="not_funded"
    )


def test_the_officer_endorses_and_the_proposal_may_then_be_funded(session, make, endorsing):
    _host, officer, _call, proposal = endorsing
    e = hosts.endorse_proposal(
        session, actor=officer, endorsement_id=_pending(session, proposal).id
    )
    assert (e.status, e.decided_by) == ("endorsed", officer.id)
    assert host_queries.endorsement_ok(session, proposal.id)
    proposal_svc.record_decision(
        session, actor=make.manager(), proposal_id=proposal.id, outcome="funded"
    )
    logged = session.exec(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "endorsement", AuditEntry.object_id == e.id
        )
    ).all()
    assert set(logged) == {"open", "endorse"}


def test_a_return_needs_a_reason_and_a_returned_proposal_cannot_be_funded(session, make, endorsing):
    _host, officer, _call, proposal = endorsing
    pending = _pending(session, proposal)
    with pytest.raises(RuleViolation) as refused:
        hosts.return_proposal(session, actor=officer, endorsement_id=pending.id, reason="  ")
    assert refused.value.violations[0].field == "reason"
    e = hosts.return_proposal(
        session, actor=officer, endorsement_id=pending.id, reason="Thiếu xác nhận của khoa."
    )
    assert (e.status, e.reason) == ("returned", "Thiếu xác nhận của khoa.")
    with pytest.raises(RuleViolation):
        proposal_svc.record_decision(
            session, actor=make.manager(), proposal_id=proposal.id, outcome="funded"
        )


def test_an_endorsement_after_the_period_is_refused_with_its_end(session, endorsing):
    _host, officer, _call, proposal = endorsing
    pending = _pending(session, proposal)
    with pytest.raises(EndorsementClosed) as refused:
        hosts.endorse_proposal(
            session,
            actor=officer,
            endorsement_id=pending.id,
            now=pending.due_at + timedelta(seconds=1),
        )
    assert refused.value.params["due_at"] == pending.due_at
    assert _pending(session, proposal).status == "pending"


def test_another_hosts_officer_cannot_endorse(session, make, endorsing):
    _host, _officer, _call, proposal = endorsing
    stranger = make.host_officer(make.host())
    with pytest.raises(NotFound):
        hosts.endorse_proposal(
            session, actor=stranger, endorsement_id=_pending(session, proposal).id
        )


def test_reopening_cancels_what_awaited_the_host_and_resubmitting_asks_again(
    session, make, endorsing
):
    _host, _officer, _call, proposal = endorsing
    pi = session.get(User, proposal.pi_id)
    first = _pending(session, proposal)
    submission_svc.reopen(session, actor=pi, proposal_id=proposal.id)
    assert session.get(Endorsement, first.id).status == "cancelled"
    submission_svc.submit_proposal(session, actor=pi, proposal_id=proposal.id)
    second = _pending(session, proposal)
    assert second.id != first.id
    assert second.status == "pending"


def test_a_call_requiring_endorsement_refuses_a_submission_naming_no_host(session, make):
    call = make.call(requires_endorsement=True)
    proposal = make.proposal(call=call)
    pi = session.get(User, proposal.pi_id)
    with pytest.raises(RuleViolation) as refused:
        submission_svc.submit_proposal(session, actor=pi, proposal_id=proposal.id)
    assert "host" in {v.field for v in refused.value.violations} or any(
        "host organisation" in v.message for v in refused.value.violations
    )


def test_the_snapshot_names_the_host_and_that_its_endorsement_is_required(session, endorsing):
    import json

    host, _officer, _call, proposal = endorsing
    snapshot = json.loads(submission_svc.current_submission(session, proposal.id).snapshot)
    assert snapshot["host"]["name_vi"] == host.name_vi
    assert snapshot["host"]["tax_code"] == host.tax_code
    assert snapshot["host"]["endorsement_required"] is True


def test_a_call_without_the_setting_needs_no_endorsement(session, make):
    proposal = make.proposal(host_id=make.host().id, submit=True)
    assert _pending(session, proposal) is None
    assert host_queries.endorsement_ok(session, proposal.id)


def test_the_period_is_counted_from_the_deadline(session, make):
    now = utcnow()
    call = make.call(closes_in=timedelta(days=2), requires_endorsement=True, endorsement_days=0)
    proposal = make.proposal(call=call, host_id=make.host().id, submit=True)
    assert now < _pending(session, proposal).due_at == call.closes_at
