"""The applicant's response in the browser: the PI opens the reviews from the proposal's
page, the live counter counts as the server does and warns past the limit, and the answer,
once sent, is on the page (axe-core checks every state)."""

import pytest

from funds.accounts.models import User
from reviews.rebuttal.services import open_responses
from tests.rebuttal_data import reviewed_call

pytestmark = pytest.mark.browser


def test_the_pi_answers_the_reviews_with_a_live_counter(page, live_server, make, session, sign_in):
    call, proposals = reviewed_call(
        make,
        session,
        {"Pin natri-ion": (8, 7)},
        rebuttal_days=5,
        rebuttal_max_chars=200,
    )
    open_responses(session, actor=make.manager(), call_id=call.id)
    session.commit()
    p = proposals["Pin natri-ion"]
    sign_in(session.get(User, p.pi_id).email)
    page.goto(f"{live_server}/proposals/{p.id}")
    page.click("#respond-link")
    page.wait_for_url(f"**/proposals/{p.id}/response")
    page.fill("textarea[data-max]", "  Việt Nam\r\n ")
    assert page.text_content("#response-count .count") == "8"
    page.fill("textarea[data-max]", "x" * 201)
    assert page.text_content("#response-count .count") == "201"
    assert "error" in (page.get_attribute("#response-count", "class") or "")
    page.fill("textarea[data-max]", "Chúng tôi đã bổ sung thiết bị đo.")
    page.click("#send-response")
    page.wait_for_selector("#response-text")
    assert "Chúng tôi đã bổ sung thiết bị đo." in page.text_content("#response-text")
