"""Managers act only on the funds they manage, and never read drafts (ASVS 5.0 V8.2.2)."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.calls.models import FundManager
from funds.projects import services as project_svc
from funds.proposals.models import Decision, Proposal
from funds.proposals.services import record_decision
from funds.submission.files import add_attachment
from reviews.rubric.models import Rubric

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


@pytest.fixture
def funds(app, make, session):
    """Fund A with its manager; fund B with its own, a submitted proposal with a file, a
    draft and a funded project. make.manager() created both funds and manages both."""
    fund_a, fund_b = make.fund(name="Quỹ A"), make.fund(name="Quỹ B")
    call_a = make.call(fund=fund_a, title="Đợt gọi A")
    call_b = make.call(fund=fund_b, title="Đợt gọi B")
    manager_a, manager_b = make.manager_of(fund_a), make.manager_of(fund_b)
    pi = make.user("applicant")
    draft_b = make.proposal(pi=pi, call=call_b, title="Bản nháp bí mật B")
    submitted_b = make.proposal(pi=pi, call=call_b, title="Hồ sơ B")
    attachment = add_attachment(
        session,
        actor=pi,
        proposal_id=submitted_b.id,
        kind="description",
        filename="de-cuong.pdf",
        data=PDF,
        directory=Path(app.config["INSTANCE_DATA"]) / "files",
    )
    make.proposal(pi=pi, call=call_b, title="Hồ sơ B đã nộp", submit=True)
    from funds.submission import services as submission_svc

    submission_svc.submit(session, actor=pi, proposal_id=submitted_b.id)
    funded_b = make.proposal(pi=pi, call=call_b, title="Dự án B được tài trợ", submit=True)
    record_decision(session, actor=make.manager(), proposal_id=funded_b.id, outcome="funded")
    award_b = project_svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=funded_b.id,
        contract_number="HD-QUY-B",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    awaiting_b = make.proposal(pi=pi, call=call_b, title="Chờ hợp đồng B", submit=True)
    record_decision(session, actor=make.manager(), proposal_id=awaiting_b.id, outcome="funded")
    make.proposal(pi=pi, call=call_a, title="Hồ sơ A", submit=True)
    session.commit()
    return {
        "fund_a": fund_a,
        "fund_b": fund_b,
        "call_a": call_a,
        "call_b": call_b,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "draft_b": draft_b,
        "p_b": submitted_b,
        "attachment": attachment,
        "award_b": award_b,
        "awaiting_b": awaiting_b,
    }


def test_a_manager_of_the_fund_reads_its_submitted_proposal_and_file(client, funds):
    client.login(funds["manager_b"].email)
    assert client.get(f"/proposals/{funds['p_b'].id}").status_code == 200
    assert client.get(f"/proposals/{funds['p_b'].id}/submissions/1.pdf").status_code == 200
    response = client.get(f"/attachments/{funds['attachment'].id}")
    assert response.status_code == 200
    assert response.data == PDF
    response.close()


def test_a_manager_of_another_fund_gets_404_for_its_proposal_pdf_and_files(client, funds):
    client.login(funds["manager_a"].email)
    pid = funds["p_b"].id
    for url in (
        f"/proposals/{pid}",
        f"/proposals/{pid}/submissions/1",
        f"/proposals/{pid}/submissions/1.pdf",
        f"/attachments/{funds['attachment'].id}",
        f"/review-management/proposals/{pid}/consensus",
        f"/letters/proposals/{pid}.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_a_manager_of_another_fund_cannot_export_or_manage_its_calls(client, funds, session):
    client.login(funds["manager_a"].email)
    cid, fid = funds["call_b"].id, funds["fund_b"].id
    for url in (
        f"/calls/{cid}/submissions",
        f"/calls/{cid}/submissions.zip",
        f"/calls/{cid}/submissions.xlsx",
        f"/calls/{cid}/submissions.csv",
        f"/calls/{cid}/budgets.csv",
        f"/review-management/calls/{cid}",
        f"/funds/{fid}",
        f"/funds/{fid}/calls/new",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post_form(f"/review-management/calls/{cid}/rubric", {}).status_code == 404
    assert client.post_form(f"/review-management/calls/{cid}/decisions", {}).status_code == 404
    assert session.exec(select(Rubric).where(Rubric.call_id == cid)).first() is None


def test_a_manager_of_another_fund_cannot_decide_or_assign_reviewers(client, funds, session, make):
    reviewer = make.user("reviewer")
    client.login(funds["manager_a"].email)
    pid = funds["p_b"].id
    assert client.post_form(f"/proposals/{pid}/decision", {"outcome": "funded"}).status_code == 404
    assert (
        client.post_form(f"/proposals/{pid}/reviewers", {"reviewer_id": reviewer.id}).status_code
        == 404
    )
    session.expire_all()
    assert session.get(Proposal, pid).status == "submitted"
    assert session.exec(select(Decision).where(Decision.proposal_id == pid)).first() is None


def test_a_manager_of_another_fund_cannot_open_or_change_its_projects(client, funds, session):
    client.login(funds["manager_a"].email)
    aid = funds["award_b"].id
    assert client.get(f"/projects/{aid}").status_code == 404
    assert client.get(f"/projects/{aid}/certificate.pdf").status_code == 404
    assert client.get(f"/projects/award/{funds['awaiting_b'].id}").status_code == 404
    r = client.post_form(
        f"/projects/{aid}/milestones",
        {
            "owner": "PI",
            "task": "Chen ngang",
            "due_date": "2026-07-15",
            "deliverable": "Không",
            "tranche_vnd": "1",
        },
    )
    assert r.status_code == 404
    client.logout()
    client.login(funds["manager_b"].email)
    assert client.get(f"/projects/{aid}").status_code == 200


def test_lists_show_a_manager_only_the_funds_they_manage(client, funds):
    client.login(funds["manager_a"].email)
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in (
            "/manage",
            "/review-management/",
            "/projects/",
            "/budget/slate",
            "/projects/indicators",
            f"/calls/{funds['call_b'].id}",
        )
    }
    assert "Đợt gọi A" in pages["/manage"]
    assert "Hồ sơ A" in pages["/budget/slate"]
    for url, page in pages.items():
        for hidden in ("Quỹ B", "Hồ sơ B", "HD-QUY-B", "Chờ hợp đồng B", "Dự án B"):
            if url == f"/calls/{funds['call_b'].id}" and hidden == "Quỹ B":
                continue  # a call's public page names its fund; its submissions stay hidden
            assert hidden not in page, (url, hidden)
        assert "Đợt gọi B" not in page or url == f"/calls/{funds['call_b'].id}", url


def test_a_manager_never_reads_a_draft_even_in_their_own_fund(client, funds):
    client.login(funds["manager_b"].email)
    assert client.get(f"/proposals/{funds['draft_b'].id}").status_code == 404
    for url in (
        f"/calls/{funds['call_b'].id}",
        f"/calls/{funds['call_b'].id}/submissions",
        f"/calls/{funds['call_b'].id}/submissions.csv",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "Hồ sơ B đã nộp" in page, url
        assert "Bản nháp bí mật B" not in page, url
    assert "draft" not in client.get(f"/calls/{funds['call_b'].id}").get_data(as_text=True)


def _audit(session, fund_id, action):
    session.expire_all()
    return session.exec(
        select(AuditEntry).where(
            AuditEntry.object_type == "fund",
            AuditEntry.object_id == fund_id,
            AuditEntry.action == action,
        )
    ).all()


def test_an_assigned_manager_gains_access_at_once_and_loses_it_when_removed(
    app, client, funds, make, session
):
    from tests.conftest import PortalClient

    admin = PortalClient(app.test_client())
    admin.login(make.admin().email)
    manager, fid, pid = funds["manager_a"], funds["fund_b"].id, funds["p_b"].id
    client.login(manager.email)
    assert client.get(f"/proposals/{pid}").status_code == 404
    r = admin.post_form(f"/funds/{fid}/managers", {"user_id": manager.id})
    assert r.status_code == 302
    assert client.get(f"/proposals/{pid}").status_code == 200  # same sign-in, at once
    assert manager.name in admin.get(f"/funds/{fid}").get_data(as_text=True)
    assert [
        e.actor_id
        for e in _audit(session, fid, "add_manager")
        if e.detail.startswith(f"user {manager.id}:")
    ] == [make.admin().id]
    r = admin.post_form(f"/funds/{fid}/managers/{manager.id}/remove", {})
    assert r.status_code == 302
    assert client.get(f"/proposals/{pid}").status_code == 404
    removed = _audit(session, fid, "remove_manager")
    assert [(e.actor_id, e.detail) for e in removed] == [(make.admin().id, f"user {manager.id}")]


def test_only_administrators_assign_fund_managers(client, funds, session):
    client.login(funds["manager_b"].email)
    fid, outsider = funds["fund_b"].id, funds["manager_a"]
    assert client.post_form(f"/funds/{fid}/managers", {"user_id": outsider.id}).status_code == 403
    assert (
        session.exec(
            select(FundManager).where(
                FundManager.fund_id == fid, FundManager.user_id == outsider.id
            )
        ).first()
        is None
    )
    page = client.get(f"/funds/{fid}").get_data(as_text=True)
    assert funds["manager_b"].name in page
    assert "/managers/" not in page


def test_the_manager_who_creates_a_fund_manages_it_and_the_link_is_audited(client, make, session):
    manager = make.user("manager")
    client.login(manager.email)
    r = client.post_form("/funds/new", {"code": "QUY-MOI", "name": "Quỹ mới"})
    assert r.status_code == 302
    fund_id = session.exec(
        select(FundManager.fund_id).where(FundManager.user_id == manager.id)
    ).one()
    assert "Quỹ mới" in client.get("/manage").get_data(as_text=True)
    assert client.get(f"/funds/{fund_id}/calls/new").status_code == 200
    [entry] = _audit(session, fund_id, "add_manager")
    assert entry.actor_id == manager.id
    assert entry.detail == f"user {manager.id}: creator"


def test_an_administrator_assigns_managers_but_reads_no_proposal(client, funds, make):
    client.login(make.admin().email)
    assert client.get(f"/proposals/{funds['p_b'].id}").status_code == 404
    assert client.get(f"/calls/{funds['call_b'].id}/submissions").status_code == 404
    page = client.get(f"/funds/{funds['fund_b'].id}").get_data(as_text=True)
    assert funds["manager_b"].name in page
    assert funds["manager_a"].name in page
    assert "Quỹ A" in client.get("/manage").get_data(as_text=True)


def test_importing_outputs_finds_no_project_of_another_fund(funds, session):
    from funds.errors import RuleViolation
    from funds.projects.bulk import import_outputs
    from funds.projects.models import Output

    rows = [
        {
            "contract_number": "HD-QUY-B",
            "kind": "publication",
            "title": "Chen ngang",
            "year": "2026",
        }
    ]
    with pytest.raises(RuleViolation) as refused:
        import_outputs(session, actor=funds["manager_a"], rows=rows)
    assert [v.field for v in refused.value.violations] == ["contract_number"]
    session.rollback()
    assert import_outputs(session, actor=funds["manager_b"], rows=rows) == 1
    assert [o.title for o in session.exec(select(Output)).all()] == ["Chen ngang"]
