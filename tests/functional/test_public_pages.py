"""The public pages, without an account: calls, funded projects (search, filters, pages), a
project's results and rating, a fund's figures; indexable heads; and nothing non-public."""

import pytest

from tests.public_data import marked_portfolio


@pytest.fixture
def portfolio(make, session):
    return marked_portfolio(make, session)


def test_a_visitor_reads_the_funded_projects_without_signing_in(client, portfolio):
    page = client.get("/public/projects")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert portfolio.public_id in text
    assert "Cảm biến điện tử cho nông nghiệp" in text
    assert "Nguyễn Văn Điện" in text  # the PI, published by default
    assert '<link rel="canonical" href="http://localhost/public/projects">' in text
    assert '<meta name="description"' in text


def test_the_search_ignores_accents_and_the_filters_narrow(client, portfolio):
    found = client.get("/public/projects?q=cam+bien+nong+nghiep").get_data(as_text=True)
    assert portfolio.public_id in found
    assert portfolio.hidden_public_id not in found
    by_pi = client.get("/public/projects?q=nguyen+van+dien").get_data(as_text=True)
    assert portfolio.public_id in by_pi
    hidden_pi = client.get("/public/projects?q=marker_hidden_pi").get_data(as_text=True)
    assert portfolio.hidden_public_id not in hidden_pi  # a withheld name is not searchable
    by_fund = client.get("/public/projects?fund=KIN").get_data(as_text=True)
    assert portfolio.hidden_public_id in by_fund
    assert portfolio.public_id not in by_fund
    none = client.get("/public/projects?year=2031&status=closed").get_data(as_text=True)
    assert portfolio.public_id not in none


def test_a_bad_filter_is_explained_and_keeps_the_search(client, portfolio):
    page = client.get("/public/projects?year=abc&q=c%E1%BA%A3m")
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "year" in text
    assert 'value="cảm"' in text


def test_a_closed_project_shows_its_results_and_rating(client, portfolio):
    client.use_language("en")
    page = client.get(f"/public/projects/{portfolio.public_id}").get_data(as_text=True)
    assert "Bài báo về cảm biến" in page
    assert "Li-xăng công nghệ cảm biến" in page
    assert "Excellent" in page
    assert f"<title>Cảm biến điện tử cho nông nghiệp ({portfolio.public_id}) · rdfund" in page
    hidden = client.get(f"/public/projects/{portfolio.hidden_public_id}").get_data(as_text=True)
    assert "Principal investigator" not in hidden.split("<main>")[1]


def test_calls_and_a_funds_figures_are_public(client, portfolio):
    calls = client.get("/public/calls?status=open").get_data(as_text=True)
    assert "Đợt gọi công khai 2026" in calls
    call = client.get(f"/public/calls/{portfolio.call.id}").get_data(as_text=True)
    assert portfolio.public_id in call
    assert 'id="timeline"' in call
    fund = client.get("/public/funds/PUB")
    assert fund.status_code == 200
    assert 'id="indicators"' in fund.get_data(as_text=True)
    assert client.get("/public/funds/NONE").status_code == 404
    assert client.get("/public/projects/NONE-2026-00001").status_code == 404


def test_the_public_identifier_follows_the_fund_the_year_and_the_order(portfolio):
    assert portfolio.public_id == "PUB-2026-00001"
    assert portfolio.hidden_public_id == "KIN-2026-00001"


def test_the_home_and_sign_in_pages_lead_a_visitor_to_the_public_pages(client):
    for url in ("/", "/auth/login"):
        text = client.get(url).get_data(as_text=True)
        assert 'href="/public/projects"' in text
        assert 'href="/public/calls"' in text
