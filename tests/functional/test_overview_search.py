"""Every search box finds Vietnamese text with or without its accents (issue #16, item 4)."""

from datetime import date

import pytest

from funds.projects import services as project_svc
from funds.proposals.services import record_decision
from reviews.pool.services import save_profile


@pytest.fixture
def people(make, session):
    an = make.user("applicant", name="Nguyễn Văn An", institution="Trường Đại học Bách Khoa")
    binh = make.user("applicant", name="Trần Thị Bình", institution="Viện Vật lý")
    call = make.call()
    p_an = make.proposal(pi=an, call=call, title="Vi mạch cho xe điện", submit=True)
    p_binh = make.proposal(pi=binh, call=call, title="Vật liệu nano", submit=True)
    return {"call": call, "an": an, "binh": binh, "p_an": p_an, "p_binh": p_binh}


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return r.get_data(as_text=True)


@pytest.mark.parametrize("q", ["nguyen van", "NGUYỄN văn", "dien", "vi mach", "bach khoa"])
def test_call_submissions_are_found_without_accents(client, make, people, q):
    client.login(make.manager().email)
    page = _page(client, f"/calls/{people['call'].id}/submissions?q={q}")
    assert "Vi mạch cho xe điện" in page
    assert "Vật liệu nano" not in page


def test_projects_are_found_by_the_pi_name_without_accents(client, make, session, people):
    for p, number in ((people["p_an"], "HD-01"), (people["p_binh"], "HD-02")):
        record_decision(session, actor=make.manager(), proposal_id=p.id, outcome="funded")
        project_svc.create_award(
            session,
            actor=make.manager(),
            proposal_id=p.id,
            contract_number=number,
            contract_date=date(2026, 1, 10),
            start_date=date(2026, 1, 15),
            end_date=date(2027, 12, 31),
        )
    session.commit()
    client.login(make.manager().email)
    page = _page(client, "/projects/?q=tran thi binh")
    assert "HD-02" in page
    assert "HD-01" not in page
    page = _page(client, "/projects/")
    assert 'type="search"' in page
    assert "HD-01" in page
    assert "HD-02" in page


def test_reviewer_pool_is_searchable_without_accents(client, make, session):
    for name, keywords in (("Lê Đức Điền", "điện tử công suất"), ("Phạm Minh", "sinh học")):
        r = make.user("reviewer", name=name)
        save_profile(
            session,
            actor=r,
            keywords=keywords,
            areas=[],
            languages="vi",
            max_load=4,
            available=True,
        )
    session.commit()
    client.login(make.manager().email)
    page = _page(client, "/review-management/reviewers?q=dien")
    assert "Lê Đức Điền" in page
    assert "Phạm Minh" not in page
    page = _page(client, "/review-management/reviewers?q=sinh hoc")
    assert "Phạm Minh" in page
    assert "Lê Đức Điền" not in page


def test_accounts_are_searchable_without_accents(client, make, people):
    client.login(make.admin().email)
    page = _page(client, "/admin/users?q=nguyen van")
    assert "Nguyễn Văn An" in page
    assert "Trần Thị Bình" not in page


def test_odd_search_input_is_never_an_error(client, make, people):
    client.login(make.manager().email)
    for q in ("%", "_", "'; drop table", "\u0303" * 5, "x" * 5000):
        assert (
            client.get(f"/calls/{people['call'].id}/submissions", query_string={"q": q}).status_code
            == 200
        )
        assert client.get("/projects/", query_string={"q": q}).status_code == 200
        assert client.get("/review-management/reviewers", query_string={"q": q}).status_code == 200


@pytest.mark.parametrize("q", ["bach khoa", "dai hoc bach khoa", "BÁCH KHOA hà nội"])
def test_the_host_register_is_found_without_accents(client, make, q):
    make.host(name_vi="Trường Đại học Bách khoa Hà Nội")
    make.host(name_vi="Viện Hàn lâm Khoa học và Công nghệ Việt Nam")
    client.login(make.manager().email)
    page = _page(client, f"/hosts?q={q}")
    assert "Trường Đại học Bách khoa Hà Nội" in page
    assert "Viện Hàn lâm" not in page
