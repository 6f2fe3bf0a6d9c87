"""A visitor without an account finds a funded project by searching the public list and opens
its results, in a real browser."""

import pytest

from tests.public_data import marked_portfolio

pytestmark = pytest.mark.browser


def test_a_visitor_searches_the_funded_projects_and_opens_the_results(
    page, live_server, make, session
):
    portfolio = marked_portfolio(make, session)
    page.goto(f"{live_server}/")
    page.click("main a[href='/public/projects']")
    page.steps("list")
    page.fill("#project-search input[name=q]", "cam bien nong nghiep")  # no accents typed
    page.click("#project-search button")
    page.steps("searched")
    rows = page.inner_text("#projects tbody")
    assert "Cảm biến điện tử cho nông nghiệp" in rows
    assert "Vật liệu mới cho pin" not in rows
    page.click(f"#projects a[href='/public/projects/{portfolio.public_id}']")
    page.steps("results")
    assert "Bài báo về cảm biến" in page.inner_text("#outputs")
    assert page.inner_text("#rating") in ("Excellent", "Xuất sắc")
    assert "/auth/login" not in page.url
