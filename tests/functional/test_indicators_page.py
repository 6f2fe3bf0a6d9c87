"""The indicators page: each indicator of the selected year with its definition, legal target
and basis (Resolution 57-NQ/TW §II), a provisional mark, and exploitations linked to patents
through the output form."""

import csv
import io
from datetime import date

import pytest
from sqlmodel import select

from funds.clock import to_local, utcnow
from funds.projects import services as svc
from funds.projects.models import Output
from funds.proposals.services import record_decision


@pytest.fixture
def award(make, session):
    pi = make.user("applicant", email="pi@example.org")
    proposal = make.proposal(pi=pi, submit=True)
    record_decision(session, actor=make.manager(), proposal_id=proposal.id, outcome="funded")
    award = svc.create_award(
        session,
        actor=make.manager(),
        proposal_id=proposal.id,
        contract_number="HD-IND",
        contract_date=date(2026, 1, 10),
        start_date=date(2026, 1, 15),
        end_date=date(2027, 12, 31),
    )
    session.commit()
    return pi, award


def test_the_pi_links_a_licence_to_the_granted_patent_and_the_page_counts_it_once(
    client, make, session, award
):
    pi, project = award
    client.login(pi.email)
    url = f"/projects/{project.id}/outputs"
    grant = {"kind": "patent_grant", "title": "Bằng SC 1", "year": "2024"}
    assert client.post_form(url, grant).status_code == 302
    patent = session.exec(select(Output).where(Output.kind == "patent_grant")).one()
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'<option value="{patent.id}">Bằng SC 1 (2024)</option>' in page
    for n in range(3):
        licence = {"kind": "licence", "title": f"L{n}", "year": "2025", "exploits": patent.id}
        assert client.post_form(url, licence).status_code == 302
    session.expire_all()
    assert (
        len(session.exec(select(Output).where(Output.exploits_output_id == patent.id)).all()) == 3
    )
    client.logout()
    client.login(make.manager().email)
    page = client.get("/projects/indicators?year=2024&baseline=2020").get_data(as_text=True)
    row = page.split('id="indicator-commercialisation_rate"')[1].split("</tr>")[0]
    assert "100%" in row  # one grant with three licences: 100%, not 300%
    assert "57-NQ/TW §II" in row  # the instrument's number…
    assert "res-57-nq-tw" not in row  # …not its code
    assert "8–10%" in row
    assert "Căn cứ pháp lý" in page  # the manager reads Vietnamese
    assert "2020" in page  # the baseline year of growth
    this_year = to_local(utcnow()).year
    page = client.get(f"/projects/indicators?year={this_year}").get_data(as_text=True)
    assert "(tạm tính)" in page  # outputs of this year are still coming
    exported = client.get("/projects/indicators?year=2024&format=csv")
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(exported.get_data(as_text=True)))}
    assert rows["commercialisation_rate"]["value"] == "100.0"
    assert rows["commercialisation_rate"]["legal_basis"] == "res-57-nq-tw §II"
    assert rows["gerd_share_of_gdp"]["value"] == ""  # no national statistics imported


def test_a_licence_cannot_point_to_another_kind_of_output(client, session, award):
    pi, project = award
    client.login(pi.email)
    url = f"/projects/{project.id}/outputs"
    client.post_form(url, {"kind": "publication", "title": "Bài báo", "year": "2024"})
    paper = session.exec(select(Output).where(Output.kind == "publication")).one()
    r = client.post_form(
        url, {"kind": "licence", "title": "L", "year": "2025", "exploits": paper.id}
    )
    assert r.status_code == 302
    session.expire_all()
    assert session.exec(select(Output).where(Output.kind == "licence")).first() is None
