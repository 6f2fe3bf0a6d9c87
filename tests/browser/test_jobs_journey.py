"""Long work as jobs in the browser: a manager watches an assignment's progress bar reach 100%
and its result appear; a cancelled import leaves nothing half-imported. The queue really
runs, in a consumer thread of the test process."""

import time

import pytest
from playwright.sync_api import expect
from sqlmodel import func, select

from funds.calls.models import Fund
from funds.compliance import importing, loading
from funds.jobs.models import Job
from funds.portfolio.models import PortfolioLine
from portal import tasks
from reviews.assignment.models import ReviewAssignment
from reviews.pool.services import save_profile
from tests.browser.test_content_security_policy import WATCH_VIOLATIONS
from tests.budget_data import write_files

pytestmark = pytest.mark.browser


@pytest.fixture
def real_queue(app, tmp_path):
    tasks.use_queue_file(tmp_path / "queue.sqlite")
    tasks.huey.immediate = False
    yield
    tasks.stop_consumer()
    tasks.huey.immediate = True


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def test_manager_watches_an_assignment_job_reach_100_percent(
    page, live_server, app, make, session, sign_in, real_queue
):
    call = make.call()
    for i in range(3):
        pi = make.user("applicant", institution=f"Viện {i}")
        make.proposal(pi=pi, call=call, submit=True, title=f"Thiết kế vi mạch {i}")
    for i in range(4):
        reviewer = make.user("reviewer", institution=f"Đại học {i}")
        save_profile(
            session,
            actor=reviewer,
            keywords="vi mạch; thiết kế",
            areas=[],
            languages="vi",
            max_load=3,
            available=True,
        )
    session.commit()
    page.add_init_script(WATCH_VIOLATIONS)
    sign_in(make.manager().email)
    page.goto(f"{live_server}/review-management/calls/{call.id}")
    page.click("#run-assignment")
    page.wait_for_url("**/jobs/*")
    page.steps("queued")
    assert page.locator("#job-progress").get_attribute("value") == "0"
    expect(page.locator("label[for=job-progress]")).to_have_count(1)
    expect(page.locator("#job-cancel")).to_have_count(1)

    tasks.start_consumer(app)  # the worker comes up after the page: it must follow live
    page.wait_for_selector("#job-result", timeout=60_000)
    page.steps("done")
    assert page.locator("#job-progress").get_attribute("value") == "100"
    assert "100%" in page.inner_text("#job-live")
    assert "9" in page.inner_text("#job-result")  # 3 proposals × 3 reviewers
    assert page.locator("#job-cancel").count() == 0
    assert _count(session, ReviewAssignment) == 9
    assert page.evaluate("window.__csp") == []  # the polling script obeys the policy
    page.click("#job-result a")
    assert page.url.endswith(f"/review-management/calls/{call.id}")


def test_a_cancelled_import_leaves_nothing_half_imported(
    page, live_server, app, make, session, sign_in, real_queue, tmp_path, monkeypatch
):
    """Cancelled while it writes (PostgreSQL) or while it checks (SQLite, where a writing
    job holds the database's one write lock until it ends)."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    writing = app.extensions["rdfund.engine"].dialect.name == "postgresql"
    slow = loading if writing else importing
    name = "apply_portfolio" if writing else "prepare_portfolio"
    original = getattr(slow, name)

    def slowly(*args, **kwargs):
        done = original(*args, **kwargs)
        time.sleep(0.5)  # a large file's chunk
        return done

    monkeypatch.setattr(slow, name, slowly)
    if not writing:
        monkeypatch.setitem(importing.PREPARE, "portfolio", slowly)
    sign_in(make.manager().email)
    page.goto(f"{live_server}/budget/import")
    page.set_input_files("#files", list(map(str, write_files(tmp_path))))
    tasks.start_consumer(app)
    page.click("form.narrow button")
    page.wait_for_url("**/jobs/*")
    page.wait_for_function(
        "() => document.getElementById('job-live').textContent.match(/[1-9]\\d*%/)",
        timeout=60_000,
    )
    page.steps("running")
    page.click("#job-cancel button")
    page.wait_for_selector("#job-cancelled", timeout=60_000)
    page.steps("cancelled")
    session.expire_all()
    assert session.exec(select(Job)).one().state == "cancelled"
    assert _count(session, PortfolioLine) == 0
    assert session.exec(select(Fund).where(Fund.code == "NAF")).first() is None
