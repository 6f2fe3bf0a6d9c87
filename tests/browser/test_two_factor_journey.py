"""A fund manager sets up an authenticator at the first sign-in, then signs in with a code."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_manager_enrols_then_signs_in_with_a_code(page, live_server, make):
    manager = make.user("manager", totp=False, name="Quản lý Hai Lớp")
    base, steps = live_server, page.steps

    page.goto(f"{base}/auth/login?next=/review-management/")
    page.fill("#email", manager.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/account/two-factor/enrol"))
    page.goto(f"{base}/review-management/")  # nothing else opens before enrolment
    assert "/account/two-factor/enrol" in page.url
    expect(page.locator("figure.qr svg")).to_have_count(1)
    key = page.inner_text("#totp-key").replace(" ", "")
    steps("enrol")
    page.fill("#code", pyotp.TOTP(key).now())
    page.click("#enrol-form button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    steps("recovery-codes")
    page.check("#saved")
    page.click("#saved-form button[type=submit]")
    page.wait_for_url(re.compile(r"/review-management/$"))
    page.click("form[action='/auth/logout'] button")

    page.goto(f"{base}/auth/login?next=/review-management/")
    page.fill("#email", manager.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/auth/code"))
    # not signed in yet: a visitor's menu (the public pages) and no sign-out
    assert page.locator("form[action='/auth/logout']").count() == 0
    assert page.locator("nav a[href='/review-management/']").count() == 0
    steps("code")
    # the next step's code: the current one may be the one that confirmed the enrolment
    page.fill("#code", pyotp.TOTP(key).at(time.time() + 30))
    page.click("#code-form button[type=submit]")
    page.wait_for_url(re.compile(r"/review-management/$"))
    steps("signed-in")
    expect(page.locator("h1")).to_have_count(1)
    assert manager.name in page.inner_text("header")
