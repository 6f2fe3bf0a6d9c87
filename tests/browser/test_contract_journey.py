"""A selected proposal through appraisal, contract and advance in a real browser (issue 15):
the fund's manager opens the appraisal and cuts a budget line with its reason; the PI, in
their own browser, accepts the cut; the manager approves it, drafts the contract, makes its
PDF and DOCX and sends it for signature, then signs on the SHA-256 shown; the host's officer
and the PI sign one after another in their own browsers; the contract is in force and the
advance stands in the project's money ledger.

The host, its officer, the PI and the funded proposal are arranged through the services
(fast); every step of the appraisal and the contract goes through the pages."""

import re

import pytest

from tests.contracts_data import selected
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _own_browser(browser, live_server, email):
    """A person signs in on their own browser (the PI and the officer have no second factor)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)
    return context, page


def _sign(page, url) -> str:
    """Open the contract, read the hash shown, sign; returns the hash."""
    page.goto(url)
    shown = page.inner_text("#sign-hash").strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown)
    page.click("#sign-button")
    page.wait_for_selector(".flash.success")
    return shown


def test_a_selected_proposal_goes_through_appraisal_contract_signatures_and_the_advance(
    page, browser, live_server, sign_in, make, session
):
    s = selected(make, session)
    sign_in(s.manager.email)
    page.goto(f"{live_server}/proposals/{s.proposal.id}")
    page.click("#open-appraisal")
    page.wait_for_selector("#appraisal-budget")
    first_line = page.locator("#appraisal-budget tbody tr", has_text="Nhân công").first
    first_line.locator("input[name$='-amount']").fill("540.000.000")
    first_line.locator("input[name$='-reason']").fill("Giảm 10% thuê khoán chuyên môn")
    page.click("#save-appraisal")
    page.wait_for_selector(".flash.success")
    assert "1.440.000.000" in page.inner_text("#proposed-total")
    page.steps("appraisal-cut")
    page.click("#send-to-pi")
    page.wait_for_selector(".flash.success")
    appraisal_url = page.url

    pi_context, pi = _own_browser(browser, live_server, s.pi.email)
    pi.goto(appraisal_url)
    assert "Giảm 10% thuê khoán chuyên môn" in pi.inner_text("#appraisal-budget")
    pi.locator("#appraisal-budget input[value=accepted]").check()
    pi.click("#send-answers")
    pi.wait_for_selector(".flash.success")
    pi.steps = page.steps

    page.goto(appraisal_url)
    page.click("#approve-appraisal")
    page.wait_for_selector(".flash.success")
    assert "1.440.000.000" in page.inner_text("#approved-total")
    page.click("#draft-contract")
    page.wait_for_selector("#contract-state")
    page.click("#generate-contract")
    page.wait_for_selector("#contract-documents")
    page.click("#send-contract")
    page.wait_for_selector("#sign-hash")
    contract_url = page.url
    assert "1.440.000.000" in page.inner_text("#contract-total")
    page.steps("contract-sent")
    shown = _sign(page, contract_url)

    officer_context, officer = _own_browser(browser, live_server, s.officer.email)
    assert _sign(officer, contract_url) == shown
    officer_context.close()
    assert _sign(pi, contract_url) == shown

    pi.wait_for_selector("#project-link")
    assert "hiệu lực" in pi.inner_text("#contract-state")
    parties = pi.inner_text("#contract-parties")
    assert parties.count(shown) == 3
    pi_context.close()

    page.goto(contract_url)
    page.steps("contract-in-force")
    page.click("#project-link")
    page.wait_for_selector("#money-ledger")
    ledger = page.inner_text("#money-ledger")
    assert "Tạm ứng" in ledger
    assert "432.000.000" in ledger
    page.steps("advance-in-ledger")
