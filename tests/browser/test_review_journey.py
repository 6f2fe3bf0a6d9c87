"""A reviewer declares no conflict, scores on the rubric and submits, in a real browser."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from reviews.assignment.models import Review
from reviews.rubric.models import Criterion
from reviews.rubric.services import create_default_rubric

pytestmark = pytest.mark.browser


def test_reviewer_declares_scores_on_the_rubric_and_submits(page, live_server, make, session):
    from tests.factories import PASSWORD

    call = make.call()
    create_default_rubric(session, actor=make.manager(), call_id=call.id)
    session.commit()
    proposal = make.proposal(
        call=call,
        submit=True,
        title="Cảm biến lượng tử",
        abstract="Tóm tắt công khai cho phản biện.",
    )
    reviewer = make.user("reviewer", name="Chuyên gia Lượng Tử")
    assignment = make.assignment(proposal=proposal, reviewer=reviewer)

    page.goto(f"{live_server}/auth/login")
    page.fill("#email", reviewer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/reviews")
    page.click("text=Cảm biến lượng tử")
    page.click("#accept-confidentiality")
    assert "Tóm tắt công khai cho phản biện." in page.inner_text("body")
    assert page.locator("#review-form").count() == 0  # nothing else before the declaration
    page.check("input[name=conflict][value=no]")
    page.steps("declaration")
    page.click("form[action$='/declaration'] button")
    for c in session.exec(select(Criterion)).all():
        page.check(f"input[name=score_{c.id}][value='4']")  # each level labelled by its anchor
        page.fill(f"#comment_{c.id}", "Đạt yêu cầu.")
    page.fill("#comment", "Đề xuất có giá trị.")
    page.steps("scored")
    page.click("button[value=submit]")
    expect(page.locator("#review-submitted")).to_have_count(1)
    assert page.inner_text("#review-total") == "80%"
    session.expire_all()
    review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).one()
    assert review.status == "submitted"
    assert review.total_bp == 8000


PHONE = {"width": 375, "height": 740}


def _no_sideways_scroll(page) -> None:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width}px wide at {PHONE['width']}px"


def test_reviewer_reads_the_whole_proposal_and_scores_on_a_phone(
    browser, live_server, make, session
):
    """At 375 px: the submitted team, work plan, budget by year, outputs and TRL, each level
    of the scale described, scores kept after submitting, and no sideways scroll."""
    from tests.factories import PASSWORD

    call = make.call()
    create_default_rubric(session, actor=make.manager(), call_id=call.id)
    session.commit()
    proposal = make.proposal(
        call=call,
        submit=True,
        title="Cảm biến lượng tử cho nông nghiệp chính xác quy mô lớn",
        prototypes_planned="Bộ cảm biến thử nghiệm tại ba hợp tác xã",
        work_packages=[
            {"owner": "PI", "task": "Khảo sát yêu cầu", "due_month": 3, "deliverable": "Báo cáo"},
            {"owner": "PI", "task": "Chế tạo mẫu", "due_month": 12, "deliverable": "Mẫu thử"},
        ],
    )
    reviewer = make.user("reviewer", name="Chuyên gia Điện Thoại")
    assignment = make.assignment(proposal=proposal, reviewer=reviewer)
    context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server}/auth/login")
        page.fill("#email", reviewer.email)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server}/reviews/{assignment.id}")
        page.click("#accept-confidentiality")
        page.check("input[name=conflict][value=no]")
        page.click("form[action$='/declaration'] button")
        page.wait_for_selector("#dossier")  # the page after the declaration, not the old one
        _no_sideways_scroll(page)
        body = page.inner_text("#dossier")
        for text in ("Khảo sát yêu cầu", "Chế tạo mẫu", "Bộ cảm biến thử nghiệm"):
            assert text in body
        for section in ("#dossier-team", "#dossier-plan", "#dossier-budget", "#dossier-outputs"):
            assert page.locator(section).is_visible()
        assert "6" in page.inner_text("#dossier-trl")
        criteria = session.exec(select(Criterion)).all()
        for c in criteria:
            option = page.locator(f"input[name=score_{c.id}][value='3']")
            label = page.locator(f"label:has(input[name=score_{c.id}][value='3'])")
            assert "Đạt" in label.inner_text()  # what a 3 means, as the radio's label
            option.check()
            page.fill(f"#comment_{c.id}", "Đạt yêu cầu.")
        page.fill("#comment", "Kế hoạch rõ ràng.")
        _no_sideways_scroll(page)
        page.click("button[value=submit]")
        expect(page.locator("#review-submitted")).to_have_count(1)
        assert "3 / 5" in page.inner_text("#own-scores")
        _no_sideways_scroll(page)
    finally:
        context.close()
