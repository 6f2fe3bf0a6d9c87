"""A reviewer declares no conflict, scores on the rubric and submits, in a real browser."""

import pytest
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
        page.fill(f"#score_{c.id}", "4")
        page.fill(f"#comment_{c.id}", "Đạt yêu cầu.")
    page.fill("#comment", "Đề xuất có giá trị.")
    page.steps("scored")
    page.click("button[value=submit]")
    assert page.locator("#review-submitted").count() == 1
    assert page.inner_text("#review-total") == "80%"
    session.expire_all()
    review = session.exec(select(Review).where(Review.assignment_id == assignment.id)).one()
    assert review.status == "submitted"
    assert review.total_bp == 8000
