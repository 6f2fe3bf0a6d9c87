"""Duplicate work and imported publications in a real browser (desktop and 375 px, every
state checked by axe-core): a manager opens a flagged pair from another fund, reads the two
texts side by side and records a decision; a reviewer imports a BibTeX file, sees what is
added, skipped and unreadable, and confirms."""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from reviews.overlap.models import OverlapFlag
from reviews.overlap.services import screen_proposal
from tests.overlap_texts import BIOSENSOR, BIOSENSOR_REWORDED

pytestmark = pytest.mark.browser
BIB = Path(__file__).parent.parent / "data" / "publications" / "sample.bib"


def test_a_manager_decides_on_a_pair_flagged_across_funds(
    page, live_server, make, session, sign_in
):
    fund_a, fund_b = make.fund(code="QA", name="Quỹ A"), make.fund(code="QB", name="Quỹ B")
    manager = make.manager_of(fund_a)
    make.proposal(call=make.call(fund=fund_b), submit=True, **BIOSENSOR)
    screened = make.proposal(call=make.call(fund=fund_a), submit=True, **BIOSENSOR_REWORDED)
    screen_proposal(session, proposal_id=screened.id)
    session.commit()
    sign_in(manager.email)
    page.goto(f"{live_server}/overlap")
    page.steps("list")
    page.click("#flags a")
    expect(page.locator("#screened").get_by_text(BIOSENSOR_REWORDED["abstract"])).to_have_count(1)
    page.steps("side by side")
    page.check("input[name=decision][value=duplicate]")
    page.fill("#note", "Hai hồ sơ cùng nội dung ở hai quỹ.")
    page.click("#decision-form button[type=submit]")
    expect(page.locator("#current-decision")).to_have_count(1)
    page.steps("decided")
    session.expire_all()
    assert session.exec(select(OverlapFlag.decision)).one() == "duplicate"


def test_a_reviewer_imports_a_bibtex_file_after_its_preview(page, live_server, make, sign_in):
    reviewer = make.user("reviewer")
    sign_in(reviewer.email)
    page.goto(f"{live_server}/profile")
    page.click("#import-link")
    page.set_input_files("#file", str(BIB))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#import-errors li")).to_have_count(3)
    expect(page.locator("#import-entries tbody tr")).to_have_count(2)
    page.steps("preview")
    page.click("#confirm-import button[type=submit]")
    expect(page.locator("#publications li")).to_have_count(2)
    page.steps("imported")
