"""Publications imported from files into a profile: previewed, confirmed once, duplicates by
DOI and title skipped, audited; the imported co-authors and titles feed conflicts and
affinity."""

from pathlib import Path

import pytest
from sqlmodel import select

from funds.audit.models import AuditEntry
from funds.errors import NotFound
from funds.profiles.imports import services as svc
from funds.profiles.imports.errors import ImportRefused
from funds.profiles.models import Publication
from funds.profiles.services import add_publication
from reviews.assignment.services import compute_call_affinities
from reviews.pool.models import AffinityScore
from reviews.pool.services import conflicted_pairs

DATA = Path(__file__).parent.parent / "data" / "publications"


def upload(session, user, name):
    return svc.upload_publications(
        session, actor=user, filename=name, data=(DATA / name).read_bytes()
    )


def titles(session, user) -> list[str]:
    rows = session.exec(select(Publication.title).where(Publication.user_id == user.id))
    return sorted(rows.all())


def test_a_bibtex_file_is_previewed_then_added_once_with_its_errors_listed(make, session):
    reviewer = make.user("reviewer")
    row = upload(session, reviewer, "sample.bib")
    shown = svc.preview_of(session, actor=reviewer, import_id=row.id)
    assert shown.new_count == 2
    assert [(e.number, e.key) for e in shown.errors] == [
        (3, "broken2020"),
        (4, "untitled2019"),
        (5, "noequals"),
    ]
    assert titles(session, reviewer) == []  # nothing before the confirmation
    assert svc.confirm_import(session, actor=reviewer, import_id=row.id) == 2
    assert svc.confirm_import(session, actor=reviewer, import_id=row.id) == 2  # once only
    assert len(titles(session, reviewer)) == 2
    actions = session.exec(
        select(AuditEntry.action).where(AuditEntry.object_type == "publication_import")
    ).all()
    assert actions == ["upload", "confirm"]


def test_entries_already_on_the_profile_are_skipped_by_doi_or_title(make, session):
    reviewer = make.user("reviewer")
    add_publication(
        session,
        actor=reviewer,
        title="Edge computing for rural clinics.",  # same title, other punctuation
    )
    svc.confirm_import(
        session, actor=reviewer, import_id=upload(session, reviewer, "sample.bib").id
    )
    orcid = svc.preview_of(
        session, actor=reviewer, import_id=upload(session, reviewer, "orcid_record.json").id
    )
    assert [p.duplicate for p in orcid.planned] == [True, True]  # by DOI, by title
    assert [(e.number, e.key) for e in orcid.errors] == [(3, "103")]
    ris = upload(session, reviewer, "sample.ris")
    assert svc.confirm_import(session, actor=reviewer, import_id=ris.id) == 3
    assert len(titles(session, reviewer)) == 6


def test_another_persons_import_is_not_found(make, session):
    row = upload(session, make.user("reviewer"), "sample.ris")
    with pytest.raises(NotFound):
        svc.preview_of(session, actor=make.user("reviewer"), import_id=row.id)


@pytest.mark.parametrize(
    "name, data",
    [("refs.bib", "@article{x, title={é}}".encode("latin-1")), ("notes.txt", b"hello"),
     ("empty.ris", b"")],
    ids=["not-utf8", "unknown-format", "empty"],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(make, session, name, data):
    with pytest.raises(ImportRefused):
        svc.upload_publications(session, actor=make.user("reviewer"), filename=name, data=data)


def test_imported_co_authors_make_a_conflict_and_titles_an_affinity(make, session):
    reviewer = make.user("reviewer", name="Trần Thị Bình", institution="Viện Hóa học")
    svc.confirm_import(
        session, actor=reviewer, import_id=upload(session, reviewer, "sample.bib").id
    )
    pi = make.user("applicant", name="Nguyễn Văn An", institution="Trường Đại học Y")
    call = make.call()
    proposal = make.proposal(
        call=call,
        pi=pi,
        submit=True,
        title="Cảm biến sinh học phát hiện vi khuẩn Salmonella",
        keywords="cảm biến sinh học; Salmonella",
    )
    session.commit()
    reasons = conflicted_pairs(session, [proposal], [reviewer])[(proposal.id, reviewer.id)]
    assert reasons == ["Co-authored with a member of the team in the last three years."]
    compute_call_affinities(session, actor=make.manager(), call_id=call.id)
    score = session.exec(
        select(AffinityScore.score).where(AffinityScore.reviewer_id == reviewer.id)
    ).one()
    assert score > 0.2
