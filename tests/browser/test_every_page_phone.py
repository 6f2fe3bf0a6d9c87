"""On a 375 px phone, every page each demo account reaches — its landing page, what its
navigation links to and the links on those pages — answers, does not scroll sideways and is
clean under axe-core (issue 16 §7). The pages are found by following same-origin links (GET
only; no sign-out, downloads, PDFs, spreadsheets or archives), a few of each kind, and every
failure of every account is reported at once. A page whose URL and kinds of element another
account's walk already checked is not checked again."""

import re
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Error

from portal import demo

pytestmark = pytest.mark.browser

ACCOUNTS = (
    "admin@example.org",
    "manager@example.org",
    "reviewer1@example.org",
    "applicant@example.org",
    "applicant2@example.org",
    "host@example.org",
    "thuky@example.org",
    "chutich@example.org",
)
PER_ACCOUNT = 45  # pages at most, so the walk stays within about two minutes
PER_KIND = 2  # two pages of a kind (_kind) are enough
DEPTH = 2  # the landing page's links, and theirs
SKIP = re.compile(
    r"/auth/(logout|link)|/language|download|/export|/files?/|/zip|/pdf|/docx|/preview"
    r"|\.(pdf|xlsx|csv|zip|docx|json)(\?|$)|/api/",
    re.IGNORECASE,
)
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"


def _kind(url: str) -> str:
    """/proposals/1 and /proposals/2, /admin/areas/AI and /admin/areas/BIOTECH,
    /budget/lines?year=2025 and ?year=2027: one kind each."""
    return re.sub(r"/(\d+|[A-Z][A-Z0-9-]*)(?=/|$)", "/N", urlsplit(url).path)


def _walk(page, base: str, audit, found: list[str]) -> int:
    """Visit the pages reachable from the landing page; returns how many."""
    start = page.url
    queue, seen, kinds, visited = [(start, 0)], {start, base + "/"}, Counter(), 0
    while queue and visited < PER_ACCOUNT:
        url, depth = queue.pop(0)
        try:
            response = page.goto(url)
        except Error as e:  # a download the link did not announce
            if "Download is starting" in str(e):
                continue
            raise
        visited += 1
        path = url.removeprefix(base)
        if response is None or response.status >= 400:
            found.append(f"{path}: HTTP {response.status if response else 'no answer'}")
            continue
        audit.check(page)  # each page as it loaded
        if depth >= DEPTH:
            continue
        for link in page.evaluate(LINKS):
            link = urldefrag(link).url
            if not link.startswith(base + "/") or link in seen or SKIP.search(link):
                continue
            seen.add(link)
            if kinds[_kind(link)] < PER_KIND:
                kinds[_kind(link)] += 1
                queue.append((link, depth + 1))
    return visited


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_every_page_of_every_demo_account_fits_a_phone_and_passes_axe(
    page, live_server, runner, sign_in, accessibility_audit
):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    found: list[str] = []
    visited = {}
    for email in ACCOUNTS:
        page.context.clear_cookies()
        sign_in(email, demo.DEMO_PASSWORD)
        before = len(accessibility_audit.problems)
        visited[email] = _walk(page, live_server, accessibility_audit, found)
        found.extend(f"{email}: {p}" for p in accessibility_audit.problems[before:])
        del accessibility_audit.problems[before:]
    print("pages visited at 375 px:", visited, "states checked:", accessibility_audit.checked)
    found.extend(f"{e}: only {n} page(s) reached" for e, n in visited.items() if n < 3)
    assert found == [], f"{len(found)} problem(s) at 375 px:\n  " + "\n  ".join(found)
