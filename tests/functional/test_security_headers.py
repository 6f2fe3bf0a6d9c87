"""Every answer carries the browser's safety headers (ASVS 5.0 V3.4): a strict CSP that the
pages actually keep (no inline script, handler or style), HSTS outside development, and
no-store on every page and download."""

import io
import re

import pytest
from pypdf import PdfWriter

from portal import config as cfg
from portal import create_app, demo
from portal.headers import CONTENT_SECURITY_POLICY

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
INLINE = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "inline script": r"<script(?![^>]*\ssrc=)[^>]*>",
        "style element": r"<style[\s>]",
        "style attribute": r"<[^>]*\sstyle\s*=",
        "event handler": r"<[^>]*\son[a-z]+\s*=",
        "javascript: URL": r"""(href|src|action)\s*=\s*["']?\s*javascript:""",
    }.items()
}
ROLES = [
    "admin@example.org",
    "manager@example.org",
    "reviewer1@example.org",
    "applicant@example.org",
    "applicant2@example.org",
]


@pytest.fixture
def seeded(runner):
    runner.invoke(args=["seed-demo"])


def test_the_policy_is_the_strict_one():
    assert CONTENT_SECURITY_POLICY == STRICT_CSP


def _page_urls(app):
    """Each GET route without arguments, or with whole-number ones (demo ids are 1)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if all(type(c).__name__ == "BoundedIntConverter" for c in rule._converters.values()):
            yield re.sub(r"<[^>]+>", "1", rule.rule)


def _inline_content(html: str) -> list[str]:
    return [f"{name}: {m.group(0)[:80]}" for name, rx in INLINE.items() for m in rx.finditer(html)]


@pytest.mark.parametrize("email", ROLES)
def test_every_page_each_role_opens_has_the_csp_and_no_inline_code(app, client, seeded, email):
    client.login(email, demo.DEMO_PASSWORD)
    checked, found = 0, {}
    for url in sorted(set(_page_urls(app))):
        r = client.get(url)
        assert r.status_code < 500, url
        assert r.headers["Content-Security-Policy"] == STRICT_CSP, url
        if url.startswith("/api/v1/") and r.status_code == 200 and "compliance" not in url:
            assert r.headers["Cache-Control"].startswith("public"), url  # open data
        else:
            assert r.headers["Cache-Control"] == "no-store", url
        if r.status_code == 200 and r.mimetype == "text/html":
            checked += 1
            if problems := _inline_content(r.get_data(as_text=True)):
                found[url] = problems
    assert found == {}
    assert checked >= 15


def test_public_pages_and_errors_carry_the_headers(client):
    for url, status in [
        ("/", 200),
        ("/auth/login", 200),
        ("/auth/register", 200),
        ("/no/such/page", 404),
    ]:
        r = client.get(url)
        assert r.status_code == status
        assert r.headers["Content-Security-Policy"] == STRICT_CSP
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Cache-Control"] == "no-store"
        assert _inline_content(r.get_data(as_text=True)) == []


def test_static_files_may_be_cached_and_pages_may_not(client):
    r = client.get("/static/portal.css")
    assert r.status_code == 200
    assert "no-store" not in r.headers.get("Cache-Control", "")
    r.close()


def _pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def test_every_kind_of_download_is_no_store(client, make):
    pi = make.user("applicant", email="pi@example.org")
    call = make.call()
    draft = make.proposal(pi=pi, call=call)
    make.proposal(call=call, submit=True)
    client.login(pi.email)
    r = client.post_form(
        f"/proposals/{draft.id}/attachments",
        {"kind": "description", "file": (io.BytesIO(_pdf()), "đề cương.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    attachment = re.search(r'/attachments/(\d+)"', r.get_data(as_text=True)).group(1)
    downloads = {"attachment": client.get(f"/attachments/{attachment}")}
    client.logout()
    client.login(make.manager().email)
    for name, url in [
        ("xlsx", f"/calls/{call.id}/submissions.xlsx"),
        ("csv", f"/calls/{call.id}/submissions.csv"),
        ("compliance xlsx", "/budget/report.xlsx"),
        ("indicators xlsx", "/projects/indicators?format=xlsx"),
    ]:
        downloads[name] = client.get(url)
    job = client.post_form(f"/calls/{call.id}/submissions.zip", {}).headers["Location"]
    downloads["zip"] = client.get(f"{job}/file")  # made by a job (docs/jobs.md)
    for name, r in downloads.items():
        assert r.status_code == 200, name
        assert r.headers["Cache-Control"] == "no-store", name
        assert "Expires" not in r.headers, name
        assert r.headers["X-Content-Type-Options"] == "nosniff", name
        r.close()


def test_hsts_is_off_in_testing_and_development(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/").headers
    dev = {"DEV_MODE": True, "TESTING": False, "HSTS": None, "SECRET_KEY": None}
    config = cfg.defaults(str(tmp_path)) | dev
    cfg.finish(config)
    assert config["HSTS"] is False


def test_hsts_is_on_in_production(database_url, tmp_path):
    config = cfg.defaults(str(tmp_path)) | {"SECRET_KEY": "s"}
    cfg.finish(config)
    assert config["HSTS"] is True
    app = create_app(
        {
            "TESTING": True,
            "HSTS": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_DATA": str(tmp_path / "data"),
        }
    )
    try:
        r = app.test_client().get("/auth/login")
        assert r.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    finally:
        app.extensions["rdfund.engine"].dispose()
