"""The accessibility checks every browser test gets (tests/browser/accessibility.py) do fail:
an unlabelled input and a page wider than a phone are caught on a page the test merely
visits, and a missing axe-core says how to install it."""

import pytest

from tests.browser import accessibility

pytestmark = pytest.mark.browser

UNLABELLED = """<!doctype html><html lang="en"><head><title>Form</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>A form</h1><form><input name="amount"></form></main></body></html>"""
WIDE = """<!doctype html><html lang="en"><head><title>Wide</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Wide</h1><div id="too-wide" style="width:900px">x</div></main></body></html>"""


def _serve(page, live_server, path, body):
    page.route(
        f"{live_server}{path}",
        lambda route: route.fulfill(status=200, content_type="text/html", body=body),
    )


def test_a_visited_page_with_an_unlabelled_input_fails_the_test(
    page, live_server, accessibility_audit
):
    _serve(page, live_server, "/unlabelled", UNLABELLED)
    page.goto(f"{live_server}/unlabelled")
    page.click("h1")  # the person's next action: the page just loaded is checked first
    found = list(accessibility_audit.problems)
    accessibility_audit.problems.clear()  # what this test expects, not a failure of it
    assert len(found) == 1, found
    assert "/unlabelled at 1280 px: axe-core critical 'label'" in found[0]
    assert 'input name="amount"' in found[0]


def test_a_page_wider_than_a_phone_fails_the_test(browser, live_server, accessibility_audit):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        _serve(page, live_server, "/wide", WIDE)
        page.goto(f"{live_server}/wide")
    finally:
        context.close()  # the page still open is checked as its context closes
    found = list(accessibility_audit.problems)
    accessibility_audit.problems.clear()
    assert len(found) == 1, found
    assert "/wide at 375 px: scrolls sideways" in found[0]
    assert "div#too-wide to 908 px" in found[0]  # 900 px and the body's margin


def test_the_portal_pages_are_checked_once_per_state(page, live_server, accessibility_audit):
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "nobody@example.org")
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", "nobody@example.org")
    assert accessibility_audit.checked == 1  # the same page in the same state, once


def test_a_missing_axe_core_says_how_to_install_it(tmp_path):
    with pytest.raises(pytest.fail.Exception, match=r"missing: run \./scripts/test\.sh"):
        accessibility.axe_source(tmp_path / "axe.min.js")


SMALL = """<!doctype html><html lang="en"><head><title>Small</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Small</h1><button id="tiny">OK</button></main></body></html>"""


def test_a_touch_target_under_44_px_on_a_phone_fails_the_test(
    browser, live_server, accessibility_audit
):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    _serve(page, live_server, "/small", SMALL)
    page.goto(f"{live_server}/small")
    page.click("#tiny")
    context.close()
    found = list(accessibility_audit.problems)
    accessibility_audit.problems.clear()
    assert len(found) == 1, found
    assert "/small at 375 px: 1 touch target(s) under 44 × 44 px, first: button#tiny" in found[0]
