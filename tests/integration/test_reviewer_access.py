"""A reviewer reads a proposal only after confidentiality and a declaration of no conflict,
checked by the domain for every read, files included."""

from pathlib import Path

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import NotAllowed, NotFound
from funds.submission.files import add_attachment
from reviews.pool.models import ConflictDeclaration
from reviews.pool.services import accept_confidentiality
from reviews.reviewing.services import (
    declare_conflict,
    proposal_for_reviewer,
    reviewer_attachment,
    save_review,
    summary_for_declaration,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\ntrailer<<>>\nstartxref\n9\n%%EOF\n"


@pytest.fixture
def assigned(app, make, session):
    """A submitted proposal with a file, assigned to a reviewer who has done nothing yet."""
    pi = make.user("applicant")
    proposal = make.proposal(pi=pi, title="Hồ sơ cần thẩm định", abstract="Tóm tắt công khai")
    attachment = add_attachment(
        session,
        actor=pi,
        proposal_id=proposal.id,
        kind="description",
        filename="de-cuong.pdf",
        data=PDF,
        directory=Path(app.config["INSTANCE_DATA"]) / "files",
    )
    from funds.submission import services as submission_svc

    submission_svc.submit(session, actor=pi, proposal_id=proposal.id)
    session.commit()
    reviewer = make.user("reviewer")
    assignment = make.assignment(proposal=proposal, reviewer=reviewer)
    return {
        "reviewer": reviewer,
        "assignment": assignment,
        "attachment": attachment,
        "proposal": proposal,
    }


def _declarations(session, proposal_id):
    return session.exec(
        select(ConflictDeclaration).where(ConflictDeclaration.proposal_id == proposal_id)
    ).all()


def _reads(session, world):
    """Every way a reviewer reads the proposal, each refused or not."""
    outcomes = {}
    for name, read in (
        (
            "proposal",
            lambda: proposal_for_reviewer(
                session, actor=world["reviewer"], assignment_id=world["assignment"].id
            ),
        ),
        (
            "file",
            lambda: reviewer_attachment(
                session,
                actor=world["reviewer"],
                assignment_id=world["assignment"].id,
                attachment_id=world["attachment"].id,
            ),
        ),
    ):
        try:
            read()
            outcomes[name] = "read"
        except NotAllowed:
            outcomes[name] = "not allowed"
        except NotFound:
            outcomes[name] = "not found"
    return outcomes


def test_a_declaration_before_confidentiality_is_refused_and_nothing_is_recorded(session, assigned):
    with pytest.raises(NotAllowed):
        declare_conflict(
            session,
            actor=assigned["reviewer"],
            assignment_id=assigned["assignment"].id,
            has_conflict=False,
        )
    session.rollback()
    assert _declarations(session, assigned["proposal"].id) == []
    assert (
        session.exec(select(AuditEntry).where(AuditEntry.action == "declare_conflict")).all() == []
    )


def test_title_and_summary_only_after_confidentiality(session, assigned):
    actor, aid = assigned["reviewer"], assigned["assignment"].id
    with pytest.raises(NotAllowed):
        summary_for_declaration(session, actor=actor, assignment_id=aid)
    accept_confidentiality(session, actor=actor)
    summary = summary_for_declaration(session, actor=actor, assignment_id=aid)
    assert (summary.title, summary.abstract) == ("Hồ sơ cần thẩm định", "Tóm tắt công khai")
    assert not hasattr(summary, "requested_vnd")


def test_nothing_is_read_before_the_declaration_even_after_confidentiality(session, assigned):
    assert _reads(session, assigned) == {"proposal": "not allowed", "file": "not allowed"}
    accept_confidentiality(session, actor=assigned["reviewer"])
    assert _reads(session, assigned) == {"proposal": "not allowed", "file": "not allowed"}
    with pytest.raises(NotAllowed):
        save_review(
            session,
            actor=assigned["reviewer"],
            assignment_id=assigned["assignment"].id,
            score=8,
            comment="Tốt",
            submit=True,
        )


def test_a_declared_conflict_closes_the_proposal_and_its_files(session, assigned):
    accept_confidentiality(session, actor=assigned["reviewer"])
    declare_conflict(
        session,
        actor=assigned["reviewer"],
        assignment_id=assigned["assignment"].id,
        has_conflict=True,
        reason="Cùng cơ quan",
    )
    assert _reads(session, assigned) == {"proposal": "not found", "file": "not found"}


def test_no_conflict_opens_the_proposal_and_its_files(session, assigned):
    accept_confidentiality(session, actor=assigned["reviewer"])
    declare_conflict(
        session,
        actor=assigned["reviewer"],
        assignment_id=assigned["assignment"].id,
        has_conflict=False,
    )
    assert _reads(session, assigned) == {"proposal": "read", "file": "read"}


def test_posting_the_declaration_before_confidentiality_records_nothing(client, session, assigned):
    client.login(assigned["reviewer"].email)
    aid = assigned["assignment"].id
    r = client.post_form(f"/reviews/{aid}/declaration", {"conflict": "no"})
    assert r.status_code == 302
    assert r.location.endswith(f"/reviews/{aid}")
    assert _declarations(session, assigned["proposal"].id) == []
    assert "Tóm tắt công khai" not in client.get(f"/reviews/{aid}").get_data(as_text=True)


def test_the_file_is_refused_before_declaring_and_served_after_no_conflict(
    client, session, assigned
):
    client.login(assigned["reviewer"].email)
    aid = assigned["assignment"].id
    url = f"/reviews/{aid}/attachments/{assigned['attachment'].id}"
    assert client.get(url).status_code == 403
    client.post_form(f"/reviews/{aid}/confidentiality", {})
    assert client.get(url).status_code == 403
    client.post_form(f"/reviews/{aid}/declaration", {"conflict": "no"})
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    response.close()


def test_the_file_is_refused_after_declaring_a_conflict(client, session, assigned):
    client.login(assigned["reviewer"].email)
    aid = assigned["assignment"].id
    client.post_form(f"/reviews/{aid}/confidentiality", {})
    client.post_form(f"/reviews/{aid}/declaration", {"conflict": "yes", "reason": "Đồng tác giả"})
    assert client.get(f"/reviews/{aid}/attachments/{assigned['attachment'].id}").status_code == 404
    assert client.get(f"/reviews/{aid}").status_code == 404
