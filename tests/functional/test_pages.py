"""Every page renders for the roles that may open it, in both languages."""

import pytest

from portal import demo


@pytest.fixture
def seeded(runner):
    runner.invoke(args=["seed-demo"])


PAGES = {
    "admin@example.org": [
        "/manage",
        "/funds/new",
        "/funds/1",
        "/calls/1",
        "/calls/2",
        "/admin/users",
        "/admin/users/new",
        "/admin/audit",
        "/admin/audit?object_type=proposal&page=1",
        "/admin/areas",
        "/admin/areas/AI",
    ],
    "manager@example.org": [
        "/manage",
        "/funds/new",
        "/funds/1",
        "/funds/1/calls/new",
        "/calls/1",
        "/calls/2",
        "/proposals/1",
        "/proposals/2",
        "/review-management/",
        "/review-management/calls/2",
        "/review-management/invitations",
        "/projects/",
        "/projects/1",
        "/projects/indicators",
        "/projects/outputs/import",
        "/budget/",
    ],
    "reviewer1@example.org": ["/reviews", "/reviews/1", "/reviews/profile"],
    "applicant@example.org": [
        "/proposals",
        "/calls",
        "/calls/1",
        "/calls/1/proposals/new",
        "/proposals/1",
        "/projects/",
    ],
    "applicant2@example.org": ["/projects/", "/projects/1"],
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("email", sorted(PAGES))
def test_pages_render_for_their_roles(client, seeded, email, lang):
    client.login(email, demo.DEMO_PASSWORD)
    client.post_form("/language", {"lang": lang})
    for url in PAGES[email]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert f'lang="{lang}"' in r.get_data(as_text=True)


def test_public_pages_and_unknown_urls(client):
    assert client.get("/").status_code == 200
    assert client.get("/auth/login").status_code == 200
    r = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert r.status_code == 404
    assert "Not found" in r.get_data(as_text=True)


def test_closed_call_offers_no_new_proposal(client, seeded):
    client.login("applicant@example.org", demo.DEMO_PASSWORD)
    page = client.get("/calls/2").get_data(as_text=True)
    assert "/calls/2/proposals/new" not in page
    r = client.post_form(
        "/calls/2/proposals/new", {"title": "Muộn", "requested_vnd": "1", "area_code": "AI"}
    )
    assert "Đợt kêu gọi này hiện không nhận hồ sơ." in r.get_data(as_text=True)


def test_money_is_shown_per_language_on_the_call_page(client, seeded):
    client.login("applicant@example.org", demo.DEMO_PASSWORD)
    client.post_form("/language", {"lang": "vi"})
    assert "5.000.000.000\u00a0₫" in client.get("/calls/1").get_data(as_text=True)
    client.post_form("/language", {"lang": "en"})
    assert "₫5,000,000,000" in client.get("/calls/1").get_data(as_text=True)
