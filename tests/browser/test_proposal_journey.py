"""The walking skeleton's journey in a real browser, in Vietnamese and in English."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEXT = {
    "vi": {"lang_button": "Tiếng Việt", "my_proposals": "Hồ sơ của tôi", "funded": "Được tài trợ"},
    "en": {"lang_button": "English", "my_proposals": "My proposals", "funded": "Funded"},
}


def sign_out(page):
    page.click("form[action='/auth/logout'] button")


def choose_language(page, lang):
    """Use the switcher until the page is in `lang` (it remembers the choice)."""
    if page.locator("html").get_attribute("lang") != lang:
        page.click(f"button[name=lang][value={lang}]")
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_proposal_from_call_to_decision_in_the_browser(page, live_server, make, lang, sign_in, app):
    from tests.factories import PASSWORD
    from tests.mailbox import last_secret

    manager = make.manager()
    make.user("reviewer", email="reviewer@example.org", name="Chuyên gia Ẩn Danh")
    base, steps = live_server, page.steps

    # an applicant registers, with explicit consent
    page.goto(f"{base}/auth/register")
    choose_language(page, lang)
    page.fill("#name", "Phạm Minh Khoa")
    page.fill("#email", "khoa@example.org")
    page.fill("#institution", "Đại học Bách khoa Hà Nội")
    page.fill("#password", "mật-khẩu-đủ-dài-123")
    page.fill("#confirm", "mật-khẩu-đủ-dài-123")
    assert not page.is_checked("#consent")
    page.check("#consent")
    steps("register")
    page.click("button[type=submit]")
    # the address is confirmed by the e-mailed link: its secret is after '#', read by the page
    page.goto(f"{base}/auth/link#{last_secret(app, 'khoa@example.org')}")
    assert page.input_value("#token") == last_secret(app, "khoa@example.org")
    assert "#" not in page.url  # the secret is cleared from the address bar
    page.click("button[type=submit]")
    sign_in("khoa@example.org", "mật-khẩu-đủ-dài-123")
    expect(page.locator("nav").get_by_text(TEXT[lang]["my_proposals"])).to_have_count(1)
    sign_out(page)

    # the manager creates a fund and a call
    sign_in(manager.email, PASSWORD)
    choose_language(page, lang)
    page.goto(f"{base}/funds/new")
    page.fill("#code", "QUY-1")
    page.fill("#name", "Quỹ Đổi mới Sáng tạo")
    page.click("button[type=submit]")
    page.click("text=QUY-1 >> xpath=../.. >> a[href*='/calls/new']")
    page.fill("#title", "Đợt gọi chip bán dẫn")
    page.fill("#opens_at", "2024-01-01T08:00")
    page.fill("#closes_at", "2099-12-31T17:00")
    page.fill("#ceiling_vnd", "5.000.000.000")
    page.fill("#budget_vnd", "50.000.000.000")
    steps("call-form")
    page.click("button[type=submit]")
    assert "17:00 (GMT+7)" in page.inner_text("#call-closes")
    call_url = page.url
    sign_out(page)

    # the applicant drafts, edits and submits
    sign_in("khoa@example.org", "mật-khẩu-đủ-dài-123")
    page.goto(call_url)
    page.click("a[href$='/proposals/new']")
    page.fill("#title", "Vi mạch tiết kiệm năng lượng")
    page.fill("#abstract", "Nghiên cứu thiết kế vi mạch.")
    page.click("#save")
    page.wait_for_url(lambda url: url.endswith("/edit"))  # the draft's own page, then type
    page.fill("#title", "Vi mạch RISC-V tiết kiệm năng lượng")
    page.select_option("#area_code", "SEMICONDUCTOR")
    page.fill("#title_en", "Energy-saving RISC-V chips")
    page.fill("#keywords", "RISC-V; vi mạch")
    page.fill("#trl_now", "3")
    page.fill("#trl_target", "6")
    page.fill("#duration_months", "24")
    page.fill("#wp-0-owner", "Phạm Minh Khoa")
    page.fill("#wp-0-task", "Thiết kế lõi")
    page.fill("#wp-0-due", "12")
    page.fill("#wp-0-deliverable", "Bản thiết kế RTL")
    page.fill("#budget-table input[name^='budget-personnel-'] >> nth=0", "1.500.000.000")
    page.click("#save")
    page.wait_for_url(lambda url: not url.endswith("/edit"))  # saved: the proposal's page
    steps("draft")
    proposal_url = page.url
    page.once("dialog", lambda dialog: dialog.accept())  # "Submit the proposal now?"
    page.click("form[action$='/submit'] button")
    assert page.inner_text("#receipt-no").startswith("RDF-")
    page.goto(proposal_url)
    expected = "1.500.000.000\u00a0₫" if lang == "vi" else "₫1,500,000,000"
    assert page.inner_text("#requested").strip() == expected
    steps("submitted")
    sign_out(page)

    # the manager assigns the reviewer
    sign_in(manager.email, PASSWORD)
    page.goto(proposal_url)
    page.select_option("#reviewer_id", label="Chuyên gia Ẩn Danh")
    page.click("form[action$='/reviewers'] button")
    sign_out(page)

    # the reviewer sees only their assignment, scores and submits
    sign_in("reviewer@example.org", PASSWORD)
    choose_language(page, lang)
    page.click("text=Vi mạch RISC-V tiết kiệm năng lượng")
    page.click("#accept-confidentiality")
    page.check("input[name=conflict][value=no]")
    page.click("form[action$='/declaration'] button")
    page.fill("#score", "9")
    page.fill("#comment", "Đề xuất xuất sắc, khả thi.")
    steps("review")
    page.click("button[value=submit]")
    expect(page.locator("#review-submitted")).to_have_count(1)
    sign_out(page)

    # the manager decides
    sign_in(manager.email, PASSWORD)
    page.goto(proposal_url)
    page.check("input[name=outcome][value=funded]")
    page.fill("#note", "Chúc mừng nhóm nghiên cứu.")
    page.click("form[action$='/decision'] button")
    # … and sends the letter after checking the selection
    page.goto(proposal_url)
    page.click("#decision a[href*='/letters/calls/']")
    page.check("#decisions input[name=decision]")
    page.click("#check-selection")
    assert page.locator("#send-problems").count() == 0
    steps("letters-check")
    page.click("#confirm-send button[type=submit]")
    number = page.inner_text("#decisions td a").strip()
    assert number.startswith("QĐ-")
    sign_out(page)

    # the applicant sees the outcome and the comments, never the reviewer
    sign_in("khoa@example.org", "mật-khẩu-đủ-dài-123")
    page.goto(proposal_url)
    steps("outcome")
    assert TEXT[lang]["funded"] in page.inner_text("#proposal-status")
    body = page.inner_text("body")
    assert "Đề xuất xuất sắc, khả thi." in body
    assert "Chuyên gia Ẩn Danh" not in body
    assert "reviewer@example.org" not in body
    assert number in page.inner_text("#decision-letter")
    head = page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return [r.status, String.fromCharCode(...bytes.slice(0, 4))];
        }""",
        page.get_attribute("#decision-letter", "href"),
    )
    assert head == [200, "%PDF"]
