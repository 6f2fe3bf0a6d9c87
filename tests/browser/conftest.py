"""A live portal in a thread and Debian's chromium driven by Playwright (no downloads)."""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session
from werkzeug.serving import make_server

from funds.accounts.services import find_user_by_email
from tests import factories
from tests.browser import accessibility

CHROMIUM = os.environ.get("RDFUND_CHROMIUM", "/usr/bin/chromium")
# What a person sees does not depend on the database; the journeys whose outcome does (a job
# claimed and cancelled, a submission's transaction, sign-in sessions) also run on PostgreSQL,
# the page walks and the other journeys on SQLite only (RDFUND_BROWSER_EVERYWHERE=1: all).
ON_POSTGRESQL = {"test_jobs_journey.py", "test_submission_journey.py", "test_two_factor_journey.py"}
# A click that submits a form returns before the next page is in: assertions on what that page
# shows wait for it (expect), up to 15 s when both backends' suites share two cores in CI.
expect.set_options(timeout=15_000)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Steps:
    """Screenshots of each step, kept when the test fails."""

    def __init__(self, page, name: str):
        self.page, self.name, self.shots = page, name, []

    def __call__(self, label: str) -> None:
        audit = getattr(self.page, "_rdfund_audit", None)
        if audit is not None:  # a step the test names is a state worth checking
            audit.check(self.page)
        self.shots.append((label, self.page.screenshot(full_page=True)))

    def save(self) -> Path:
        folder = ARTIFACTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        for i, (label, png) in enumerate(self.shots, 1):
            (folder / f"{i:02d}-{label}.png").write_bytes(png)
        return folder


@pytest.fixture(scope="session")
def axe_source():
    return accessibility.axe_source()


@pytest.fixture(autouse=True)
def accessibility_audit(axe_source, monkeypatch):
    """Every page the test opens is checked with axe-core (and for sideways scroll on a
    phone); pytest_runtest_call below fails the test on what the checks found."""
    audit = accessibility.Audit(axe_source)
    accessibility.install(monkeypatch, audit)
    return audit


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def viewport(request):
    """The page's size: desktop, or (for each journey, once more) a 375 px phone."""
    return VIEWPORTS[getattr(request, "param", "desktop")]


def pytest_generate_tests(metafunc):
    """Each journey (test_*_journey.py) runs at desktop width and once at 375 px, unless it
    already chooses its widths itself."""
    journey = metafunc.module.__name__.rsplit(".", 1)[-1].endswith("_journey")
    if journey and "page" in metafunc.fixturenames and "width" not in metafunc.fixturenames:
        metafunc.parametrize("viewport", list(VIEWPORTS), indirect=True)


@pytest.fixture
def page(browser, request, accessibility_audit, viewport):
    context = browser.new_context(locale="vi-VN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    steps = Steps(page, request.node.name.replace("/", "_"))
    page.steps = steps
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        steps("failure")
        print(f"screenshots saved in {steps.save()}")
    context.close()


@pytest.fixture
def sign_in(page, live_server, app):
    """Sign in through the login page; the code step, when the account has an
    authenticator, is answered with the code its app would show."""

    def sign_in(email: str, password: str = factories.PASSWORD) -> None:
        page.goto(f"{live_server}/auth/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/auth/login" not in url)
        if "/auth/code" in page.url:
            page.focus("#code")  # the page's checks run now, not between the code and its use
            with Session(app.extensions["rdfund.engine"]) as s:
                code = factories.totp_code(s, find_user_by_email(s, email).id)
            page.fill("#code", code)
            page.click("#code-form button[type=submit]")
            page.wait_for_url(lambda url: "/auth/code" not in url)

    return sign_in


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test passes, the pages still open are checked too; then any accessibility
    problem fails it, all of them named at once."""
    result = yield
    audit = item.funcargs.get("accessibility_audit")
    if audit is not None:
        audit.finish()
        if audit.problems:
            pytest.fail(audit.report(), pytrace=False)
    return result


def pytest_collection_modifyitems(config, items):
    """Once at 375 px per journey: of a journey parametrised otherwise too (languages), only
    its first combination runs again on a phone."""
    phone_runs, again = set(), []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("viewport") == "phone":
            journey = (item.path, item.originalname)
            if journey in phone_runs:
                again.append(item)
            phone_runs.add(journey)
    if os.environ.get("RDFUND_TEST_DB") == "postgresql" and not os.environ.get(
        "RDFUND_BROWSER_EVERYWHERE"
    ):
        again += [
            item
            for item in items
            if item.get_closest_marker("browser") and item.path.name not in ON_POSTGRESQL
        ]
    if again:
        config.hook.pytest_deselected(items=again)
        items[:] = [item for item in items if item not in again]


def pytest_terminal_summary(terminalreporter):
    totals = accessibility.TOTALS
    if totals["states"]:
        terminalreporter.write_line(
            f"accessibility: {totals['states']} page states checked in "
            f"{totals['seconds']:.1f} s (axe-core, and on a phone sideways scroll and targets)"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
