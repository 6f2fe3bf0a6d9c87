"""Personal-data rights on a real database: export, correction, consent, erasure."""

import json
from datetime import date

import pytest
from sqlalchemy import MetaData, String, func
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

from funds import audit
from funds.accounts.models import User
from funds.accounts.services import authenticate, register_applicant
from funds.accounts.signin import services as account_services
from funds.audit.models import AuditEntry
from funds.consent.errors import ConsentWithdrawn
from funds.consent.models import ConsentEvent
from funds.errors import NotAllowed, NotFound
from funds.privacy import services as privacy
from funds.privacy.errors import ErasureRefused
from funds.privacy.models import Erasure
from funds.privacy.registry import unclaimed_tables
from funds.profiles.models import CoInvestigator, Profile, Publication
from funds.profiles.services import add_publication, update_profile
from funds.projects import services as projects
from funds.proposals import services as proposal_svc
from funds.proposals.models import Proposal
from funds.proposals.team import add_member
from funds.submission import services as submission_svc
from reviews.invitations.services import invite_expert
from reviews.pool.models import Bid, ReviewerProfile
from reviews.pool.services import accept_confidentiality, place_bid, save_profile
from reviews.reviewing.services import declare_conflict, save_review
from tests.factories import PASSWORD

USER_REFERENCES = {
    "id",
    "user_id",
    "pi_id",
    "reviewer_id",
    "actor_id",
    "decided_by",
    "assigned_by",
    "submitted_by",
    "uploaded_by",
    "invited_by",
    "created_by",
    "overridden_by",
    "author_id",
    "approved_by",
}


def user_reference_values(data) -> set[int]:
    """Every value under a key that could name an account, anywhere in the export."""
    found = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key in USER_REFERENCES and isinstance(value, int):
                found.add(value)
            found |= user_reference_values(value)
    elif isinstance(data, list):
        for item in data:
            found |= user_reference_values(item)
    return found


def places_holding(session, needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every text column of every table holding a needle."""
    metadata = MetaData()
    metadata.reflect(bind=session.connection())
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String):
                continue
            for needle in needles:
                hits = session.execute(
                    sa_select(func.count())
                    .select_from(table)
                    .where(column.contains(needle, autoescape=True))
                ).scalar()
                if hits:
                    found.append((table.name, column.name, needle))
    return found


@pytest.fixture
def people(make, session):
    """An and Bình, both applicants and reviewers, whose activities overlap: Bình is in An's
    team and reviews An's submitted proposal; An bids on Bình's."""
    an = make.user(
        "applicant",
        "reviewer",
        name="Nguyễn Thị An",
        email="an@example.org",
        institution="Viện Toán học",
    )
    binh = make.user(
        "applicant",
        "reviewer",
        name="Trần Văn Bình",
        email="binh@example.org",
        institution="Viện Vật lý",
    )
    call = make.call()
    an_prop = make.proposal(pi=an, call=call, title="Chip của An", commit=False)
    add_member(
        session,
        actor=an,
        proposal_id=an_prop.id,
        name=binh.name,
        email=binh.email,
        institution=binh.institution,
        role="thành viên",
        effort_pct=20,
    )
    submission_svc.submit_proposal(session, actor=an, proposal_id=an_prop.id)
    binh_prop = make.proposal(pi=binh, call=call, title="Cảm biến của Bình", submit=True)
    place_bid(session, actor=an, proposal_id=binh_prop.id, level="eager")
    assignment = make.assignment(proposal=an_prop, reviewer=binh)
    accept_confidentiality(session, actor=binh)
    declare_conflict(session, actor=binh, assignment_id=assignment.id, has_conflict=False)
    save_review(
        session,
        actor=binh,
        assignment_id=assignment.id,
        score=8,
        comment="Nhận xét bí mật của Bình",
        submit=True,
    )
    session.commit()
    return an, binh, an_prop, binh_prop


def test_every_table_that_refers_to_people_is_claimed_by_a_privacy_part(app):
    assert unclaimed_tables(list(SQLModel.metadata.tables.values())) == []


def test_export_holds_the_persons_own_data_and_nothing_of_the_other_person(session, people):
    an, _, _, binh_prop = people
    data = privacy.export_personal_data(session, actor=an, user_id=an.id, form="json")
    text = json.dumps(data, ensure_ascii=False)
    sections = data["sections"]
    assert sections["account"]["email"] == "an@example.org"
    assert "password_hash" not in sections["account"]
    assert "session_token" not in text
    assert [p["title"] for p in sections["proposals"]] == ["Chip của An"]
    assert sections["proposals"][0]["team_size"] == 1
    assert sections["bids"] == [{"proposal_id": binh_prop.id, "level": "eager"}]
    assert any(e["action"] == "submit" for e in sections["audit_entries"])
    for other in (
        "Trần Văn Bình",
        "binh@example.org",
        "Viện Vật lý",
        "Nhận xét bí mật",
        "Cảm biến của Bình",
    ):
        assert other not in text
    assert user_reference_values(data) == {an.id}


def test_the_reviewers_export_holds_their_review_but_not_the_applicant(session, people):
    _, binh, an_prop, _ = people
    data = privacy.export_personal_data(session, actor=binh, user_id=binh.id, form="json")
    text = json.dumps(data, ensure_ascii=False)
    assert data["sections"]["reviews"][0]["comment"] == "Nhận xét bí mật của Bình"
    assert data["sections"]["team_memberships"][0]["proposal_id"] == an_prop.id
    assert "Nguyễn Thị An" not in text
    assert "an@example.org" not in text
    assert user_reference_values(data) == {binh.id}


def test_an_export_is_recorded_in_the_audit_log(session, people):
    an = people[0]
    privacy.export_personal_data(session, actor=an, user_id=an.id, form="pdf")
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "export_personal_data")
    ).one()
    assert (entry.actor_id, entry.object_id, entry.detail) == (an.id, an.id, "pdf")


def test_nobody_but_the_person_or_an_administrator_exports_their_data(session, make, people):
    an, binh = people[0], people[1]
    with pytest.raises(NotFound):
        privacy.export_personal_data(session, actor=binh, user_id=an.id, form="json")
    data = privacy.export_personal_data(session, actor=make.admin(), user_id=an.id, form="json")
    assert data["sections"]["account"]["name"] == "Nguyễn Thị An"


def test_correction_changes_name_and_institution_and_logs_the_fields_not_the_values(session, make):
    person = make.user("applicant", name="Nguyen Van Sai", institution="Vien Cu")
    changed = privacy.correct_personal_data(
        session, actor=person, name="Nguyễn Văn Đúng", institution="Viện Mới"
    )
    session.commit()
    assert changed == ["name", "institution"]
    assert (session.get(User, person.id).name, person.institution) == (
        "Nguyễn Văn Đúng",
        "Viện Mới",
    )
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.action == "correct_personal_data")
    ).one()
    assert entry.detail == "name,institution"
    assert "Đúng" not in entry.detail


def test_registration_consent_then_withdrawal_make_the_consent_history(session):
    registered = register_applicant(
        session,
        email="moi@example.org",
        name="Người Mới",
        password="một-mật-khẩu-dài-đủ",
        consent=True,
    )
    person = registered.user
    privacy.withdraw_consent(session, actor=person)
    history = [
        (e.kind, e.source, e.version)
        for e in session.exec(
            select(ConsentEvent).where(ConsentEvent.user_id == person.id).order_by(ConsentEvent.id)
        )
    ]
    assert history == [("given", "registration", "2026-01"), ("withdrawn", "self", "2026-01")]
    assert person.consent_at is None
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "consent_withdrawn")).one()


def test_withdrawn_consent_blocks_a_new_proposal_with_the_message_until_given_again(session, make):
    person = make.user("applicant")
    call = make.call()
    draft = make.proposal(pi=person, call=call)
    privacy.give_consent(session, actor=person)
    privacy.withdraw_consent(session, actor=person)
    with pytest.raises(ConsentWithdrawn, match="withdrawn your consent"):
        proposal_svc.create_draft(session, actor=person, call_id=call.id, title="Mới")
    with pytest.raises(ConsentWithdrawn):
        submission_svc.submit_proposal(session, actor=person, proposal_id=draft.id)
    privacy.give_consent(session, actor=person)
    assert proposal_svc.create_draft(session, actor=person, call_id=call.id, title="Mới").id


@pytest.fixture
def leaving(make, session):
    """Phạm Riêng Tư: a draft (with a team), a reviewer profile, bids, a profile with
    publications, an entry in someone else's draft team, an invitation, audit entries."""
    person = make.user(
        "applicant",
        "reviewer",
        name="Phạm Riêng Tư",
        email="rieng.tu@example.org",
        institution="Viện Duy Nhất",
    )
    other = make.user("applicant", name="Đỗ Ở Lại", email="o.lai@example.org")
    call = make.call()
    draft = make.proposal(pi=person, call=call, title="Bản nháp riêng tư")
    add_member(
        session,
        actor=person,
        proposal_id=draft.id,
        name="Đồng Nghiệp",
        email="dong.nghiep@example.org",
    )
    others_draft = make.proposal(pi=other, call=call, title="Nháp của người ở lại")
    add_member(
        session,
        actor=other,
        proposal_id=others_draft.id,
        name=person.name,
        email=person.email,
        institution=person.institution,
    )
    submitted = make.proposal(pi=other, call=call, title="Đã nộp của người ở lại", submit=True)
    update_profile(
        session,
        actor=person,
        institution=person.institution,
        orcid="0000-0002-1825-0097",
        title="TS.",
        position="Nghiên cứu viên",
        cv="Phạm Riêng Tư sinh năm 1980",
    )
    add_publication(
        session, actor=person, title="Bài báo", authors="Phạm Riêng Tư; Khác", year=2024
    )
    save_profile(
        session,
        actor=person,
        keywords="chip; Phạm Riêng Tư",
        areas=[],
        languages="vi",
        max_load=4,
        available=True,
    )
    place_bid(session, actor=person, proposal_id=submitted.id, level="willing")
    invite_expert(session, actor=make.manager(), email=person.email, name=person.name)
    account_services.start_session(
        session, user=person, client_ip="10.0.0.7", user_agent="Trình duyệt UA-Riêng-Tư"
    )
    account_services.issue_token(
        session, purpose="change_email", user_id=person.id, payload="rieng.tu.moi@example.org"
    )
    session.commit()
    return person, draft, others_draft, submitted


NEEDLES = [
    "Phạm Riêng Tư",
    "rieng.tu@example.org",
    "Viện Duy Nhất",
    "0000-0002-1825-0097",
    "UA-Riêng-Tư",
    "rieng.tu.moi@example.org",
]


def test_erasure_leaves_the_name_and_email_nowhere_and_the_audit_chain_intact(session, leaving):
    person, draft, others_draft, _ = leaving
    assert {n for _t, _c, n in places_holding(session, NEEDLES)} == set(NEEDLES)  # found before
    privacy.erase_own_data(
        session, actor=person, password=PASSWORD, typed_email="Rieng.Tu@example.org "
    )
    session.commit()
    assert places_holding(session, NEEDLES) == []
    assert session.get(Proposal, draft.id) is None
    assert (
        session.exec(select(ReviewerProfile).where(ReviewerProfile.user_id == person.id)).first()
        is None
    )
    assert session.exec(select(Bid).where(Bid.reviewer_id == person.id)).all() == []
    assert session.exec(select(Profile).where(Profile.user_id == person.id)).first() is None
    assert session.exec(select(Publication).where(Publication.user_id == person.id)).all() == []
    erased = session.get(User, person.id)
    assert erased.name.startswith("Người dùng đã xoá #")
    assert not erased.is_active
    assert erased.email.startswith("deleted-")
    assert erased.email.endswith("@invalid.example")
    member = session.exec(
        select(CoInvestigator).where(CoInvestigator.proposal_id == others_draft.id)
    ).one()
    assert (member.name, member.email) == (erased.name, erased.email)
    assert session.exec(select(Erasure).where(Erasure.user_id == person.id)).one().channel == "self"
    assert session.exec(select(AuditEntry).where(AuditEntry.actor_id == person.id)).all()
    assert audit.verify_log(session).intact


def test_after_erasure_the_password_no_longer_works(session, leaving):
    person = leaving[0]
    privacy.erase_own_data(session, actor=person, password=PASSWORD, typed_email=person.email)
    session.commit()
    assert (
        authenticate(session, email=session.get(User, person.id).email, password=PASSWORD) is None
    )


def test_erasure_keeps_a_submitted_proposal_and_lists_it_with_its_reason(session, make):
    person = make.user("applicant", name="Lê Đã Nộp", email="da.nop@example.org")
    kept = make.proposal(pi=person, title="Đề xuất đã nộp", submit=True)
    draft = make.proposal(pi=person, title="Nháp sẽ xoá")
    preview = privacy.erasure_preview(session, user=person)
    assert ("submitted", "Đề xuất đã nộp") in [(r.retention, r.label) for r in preview.kept]
    assert ("draft", "Nháp sẽ xoá") in [(r.retention, r.label) for r in preview.deleted]
    privacy.erase_own_data(session, actor=person, password=PASSWORD, typed_email=person.email)
    session.commit()
    assert session.get(Proposal, kept.id).pi_id == person.id
    assert session.get(Proposal, draft.id) is None


@pytest.mark.parametrize(
    "password, typed, message",
    [
        ("wrong-password-000", "x@example.org", "password is not right"),
        (PASSWORD, "someone@example.org", "Type the account's e-mail"),
    ],
)
def test_erasure_is_refused_without_the_password_and_the_typed_email(
    session, make, password, typed, message
):
    person = make.user("applicant", email="x@example.org")
    with pytest.raises(ErasureRefused, match=message):
        privacy.erase_own_data(session, actor=person, password=password, typed_email=typed)
    assert session.get(User, person.id).is_active


def test_erasure_waits_while_the_person_leads_a_running_project(session, make):
    person = make.user("applicant", email="dang.chay@example.org")
    proposal = make.proposal(pi=person, submit=True)
    proposal_svc.record_decision(
        session, actor=make.manager(), proposal_id=proposal.id, outcome="funded"
    )
    projects.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-CHAY-01",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    assert privacy.erasure_preview(session, user=person).blockers
    with pytest.raises(ErasureRefused, match="running project"):
        privacy.erase_own_data(session, actor=person, password=PASSWORD, typed_email=person.email)


def test_an_administrator_erases_a_person_for_a_request_received_by_post(session, make, leaving):
    person = leaving[0]
    with pytest.raises(NotAllowed):
        privacy.erase_person_data(
            session,
            actor=make.manager(),
            user_id=person.id,
            typed_email=person.email,
            channel="post",
        )
    privacy.erase_person_data(
        session, actor=make.admin(), user_id=person.id, typed_email=person.email, channel="post"
    )
    session.commit()
    assert places_holding(session, NEEDLES) == []
    erasure = session.exec(select(Erasure).where(Erasure.user_id == person.id)).one()
    assert (erasure.actor_id, erasure.channel) == (make.admin().id, "post")
    with pytest.raises(ErasureRefused, match="already been erased"):
        privacy.erase_person_data(
            session,
            actor=make.admin(),
            user_id=person.id,
            typed_email=session.get(User, person.id).email,
            channel="post",
        )
