"""The profile's import pages: a file uploaded, its preview (added, skipped as duplicate,
errors by entry), the confirmation; another person's import is not found."""

from io import BytesIO
from pathlib import Path

from sqlmodel import select

from funds.profiles.imports.models import PublicationImport
from funds.profiles.models import Publication

DATA = Path(__file__).parent.parent / "data" / "publications"


def post_file(client, name: str, data: bytes | None = None):
    data = (DATA / name).read_bytes() if data is None else data
    return client.post_form(
        "/profile/publications/import",
        {"file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_ris_file_is_previewed_then_confirmed(client, make, session):
    reviewer = make.user("reviewer")
    client.login(reviewer.email)
    client.use_language("en")
    assert "/profile/publications/import" in client.get("/profile").get_data(as_text=True)
    r = post_file(client, "sample.ris")
    assert r.status_code == 302
    preview = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Vật liệu nano vàng cho điện cực in lụa" in preview
    assert "Entry 3 (notitle2019)" in preview
    assert "The entry has no title." in preview
    assert session.exec(select(Publication)).all() == []
    row = session.exec(select(PublicationImport)).one()
    done = client.post_form(f"/profile/publications/import/{row.id}/confirm", {})
    assert done.status_code == 302
    assert len(session.exec(select(Publication)).all()) == 3
    again = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "import-done" in again


def test_an_unreadable_file_is_refused_with_its_reason_and_another_persons_import_hidden(
    client, make, session
):
    client.login(make.user("reviewer").email)
    client.use_language("en")
    r = post_file(client, "notes.txt", b"just some words")
    assert r.status_code == 422
    assert "neither an ORCID JSON, a BibTeX nor a RIS file" in r.get_data(as_text=True)
    post_file(client, "orcid_record.json")
    row = session.exec(select(PublicationImport)).one()
    client.logout()
    client.login(make.user("reviewer").email)
    assert client.get(f"/profile/publications/import/{row.id}").status_code == 404
    assert client.post_form(f"/profile/publications/import/{row.id}/confirm", {}).status_code == (
        404
    )
