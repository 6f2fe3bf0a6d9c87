"""Every page of the demo speaks the reader's language (issue #16, item 6).

For each demo role and both languages, crawl the same-origin pages reachable by links from
the role's landing page and fail, listing page and text, on English in a Vietnamese page or
Vietnamese in an English page, outside user data (tests/language_check.py says how); and,
with a pseudo-locale wrapping every catalog string in markers, on any visible word that never
went through gettext. A link a role is shown must open (200).

User data is every text the demo database holds after seeding and signing in. English text
that rdfund ships into the database (rule sources, instrument notes, the default rubric) is
therefore not caught here: it is shown through its msgid (portal.budget.labels.shipped_text,
portal.reviews.labels.criterion_text). LANG_REPORT=FILE lists the findings one per line.
"""

import json
import os
import re
import time
from collections import Counter
from urllib.parse import urldefrag, urlsplit

import flask_babel
import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from portal import demo
from tests.language_check import (
    PseudoTranslations,
    UserData,
    english_in_vietnamese,
    english_vocabulary,
    raw_codes,
    raw_dates,
    unmarked,
    vietnamese_in_english,
    visible_text,
)
from tests.unit.test_catalogs import vietnamese

# every demo account but the council members who see what the vice-chair sees; None is a
# visitor who has not signed in (public pages, and a private page's sign-in prompt)
ACCOUNTS = [
    None,
    "admin@example.org",
    "manager@example.org",
    "reviewer1@example.org",
    "applicant@example.org",
    "applicant2@example.org",
    "host@example.org",
    "chutich@example.org",
    "thuky@example.org",
    "phochutich@example.org",
    "phanbien1@example.org",
]
PUBLIC = ["/", "/auth/register", "/auth/forgot", "/privacy", "/calls", "/proposals"]
SKIPPED = re.compile(
    r"/(auth/logout|language|static/)|\.(pdf|xlsx|zip|csv|docx|json)$|/(download|export|pdf|"
    r"xlsx|docx|csv|zip|file|files/\d+|attachments/\d+)(/|$)|format=(csv|json|xlsx|pdf)"
)
PER_SHAPE = 3  # pages of one shape (/proposals/<n>) visited per account
PER_ACCOUNT = 150
HREF = re.compile(r'<a\s[^>]*href="([^"#][^"]*)"')


def shape(url: str) -> str:
    return re.sub(r"\d+", "<n>", urlsplit(url).path)


def crawl(client, starts: list[str]):
    """(url, status, html) of each page reachable from starts by same-origin links, breadth
    first."""
    seen, shapes, queue = set(starts), Counter(), list(starts)
    while queue and len(seen) <= PER_ACCOUNT:
        url = queue.pop(0)
        response = client.get(url, follow_redirects=True)
        if "text/html" not in response.content_type:
            continue
        page = response.get_data(as_text=True)
        yield url, response.status_code, page
        for href in HREF.findall(page):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            if not href.startswith("/") or href.startswith("//") or SKIPPED.search(href):
                continue
            if href not in seen and shapes[shape(href)] < PER_SHAPE:
                seen.add(href)
                shapes[shape(href)] += 1
                queue.append(href)


def _leaves(value):
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in "[{":
            try:
                yield from _leaves(json.loads(text))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)


def stored_text(app) -> UserData:
    """Every text stored in the demo database: the user data a page may show as it is."""
    values = set()
    with Session(app.extensions["rdfund.engine"]) as s:
        for table in SQLModel.metadata.sorted_tables:
            for row in s.execute(select(table)):
                for value in row:
                    values.update(_leaves(value))
    return UserData(values)


def report(wrong, pages):
    """LANG_REPORT=FILE writes each wrong text once, with the first page showing it (a list
    to work through when the test fails)."""
    if os.environ.get("LANG_REPORT"):
        by_text = {}
        for line in wrong:
            who, text = line.split(": ", 1)
            by_text.setdefault(text, who)
        with open(os.environ["LANG_REPORT"], "w") as fh:
            fh.write(f"{pages} pages\n")
            for text, who in sorted(by_text.items()):
                fh.write(f"{text}\t\t{who}\n")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_demo_page_is_in_the_readers_language(app, client, runner, lang):
    started = time.monotonic()
    runner.invoke(args=["seed-demo"])
    catalog = vietnamese()
    vocabulary = english_vocabulary(catalog)
    wrong, pages = [], 0
    for email in ACCOUNTS:
        if email:
            client.login(email, demo.DEMO_PASSWORD)
        client.use_language(lang)
        data = stored_text(app)  # with the sign-in just recorded
        for url, status, page in crawl(client, PUBLIC if email is None else ["/"]):
            pages += 1
            if status != 200:  # a link a role is shown must open its page
                wrong.append(f"{email} {url}: status {status}")
            assert f'lang="{lang}"' in page, url
            nodes = visible_text(page)
            if lang == "vi":
                found = english_in_vietnamese(nodes, catalog, vocabulary, data)
            else:
                found = vietnamese_in_english(nodes, data)
            found += [f"raw date: {n}" for n in raw_dates(nodes, data)]
            found += [f"raw code: {n}" for n in raw_codes(nodes, data)]
            wrong += [f"{email} {url}: {text}" for text in found]
        if email:
            client.logout()
    assert pages > 100
    report(wrong, pages)
    assert not wrong, f"{len(wrong)} texts in the wrong language:\n" + "\n".join(sorted(set(wrong)))
    assert time.monotonic() - started < 90


def test_every_demo_page_shows_only_catalog_strings_and_user_data(app, client, runner, monkeypatch):
    """A pseudo-locale: every translation comes back between markers, so a word outside them
    that is no user data was never passed through gettext."""
    started = time.monotonic()
    runner.invoke(args=["seed-demo"])
    real = flask_babel.Domain.get_translations
    monkeypatch.setattr(
        flask_babel.Domain, "get_translations", lambda self: PseudoTranslations(real(self))
    )
    wrong, pages = [], 0
    for email in ACCOUNTS:
        if email:
            client.login(email, demo.DEMO_PASSWORD)
        client.use_language("vi")
        data = stored_text(app)
        for url, status, page in crawl(client, PUBLIC if email is None else ["/"]):
            pages += 1
            if status != 200:
                wrong.append(f"{email} {url}: status {status}")
            wrong += [f"{email} {url}: {text}" for text in unmarked(visible_text(page), data)]
        if email:
            client.logout()
    assert pages > 100
    report(wrong, pages)
    assert not wrong, f"{len(wrong)} texts not from the catalogs:\n" + "\n".join(sorted(set(wrong)))
    assert time.monotonic() - started < 90
