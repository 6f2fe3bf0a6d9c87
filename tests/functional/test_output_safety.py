"""Output safety (OWASP ASVS 5.0 level 2): stored text stays text, redirects stay on the
site, absurd numbers in URLs answer 404 rather than 500, and every answer carries the
browser's safety headers."""

import csv
import re
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select
from werkzeug.routing import IntegerConverter

from funds.calls.models import Fund
from funds.projects.bulk import OUTPUT_COLUMNS
from portal.bounds import INT_MAX, BoundedIntConverter
from reviews.pool.services import accept_confidentiality
from reviews.rubric.services import add_criterion, create_default_rubric
from tests.xlsx_bombs import declared_bomb, rows_bomb

HOSTILE_NAMES = ["<img src=x onerror=alert(1)>", "100% feasibility", "%(name)s %s %d"]


@pytest.fixture
def hostile_rubric(make, session):
    """A call whose rubric holds the default criteria plus three hostile ones, and a reviewer
    who may open the review form."""
    call = make.call()
    manager = make.manager()
    rubric = create_default_rubric(session, actor=manager, call_id=call.id)
    for name in HOSTILE_NAMES:
        add_criterion(
            session,
            actor=manager,
            rubric_id=rubric.id,
            name=name,
            description=f"Mô tả {name}",
            weight=1,
            scale_max=5,
            threshold=0,
        )
    session.commit()
    reviewer = make.user("reviewer")
    accept_confidentiality(session, actor=reviewer)
    session.commit()
    assignment = make.assignment(proposal=make.proposal(call=call, submit=True), reviewer=reviewer)
    return {"call": call, "manager": manager, "reviewer": reviewer, "assignment": assignment}


def _criteria_pages(client, world):
    client.login(world["manager"].email)
    yield client.get(f"/review-management/calls/{world['call'].id}")
    client.logout()
    client.login(world["reviewer"].email)
    url = f"/reviews/{world['assignment'].id}"
    client.post_form(f"{url}/declaration", {"conflict": "no"})
    yield client.get(url)
    yield client.post_form(url, {"action": "submit", "comment": ""})  # every score missing


def test_criterion_names_are_shown_as_text_on_every_page_that_lists_them(client, hostile_rubric):
    for response in _criteria_pages(client, hostile_rubric):
        assert response.status_code == 200, response.request.path
        page = response.get_data(as_text=True)
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "100% feasibility" in page
        assert "%(name)s %s %d" in page


def test_default_criteria_are_still_translated(client, hostile_rubric):
    client.login(hostile_rubric["manager"].email)
    page = client.get(f"/review-management/calls/{hostile_rubric['call'].id}").get_data(
        as_text=True
    )
    assert "Giá trị khoa học" in page  # "Scientific merit" in Vietnamese
    assert "Scientific merit" not in page


def test_a_percent_sign_in_a_criterion_added_over_http_does_not_break_the_page(client, make):
    call = make.call()
    client.login(make.manager().email)
    base = f"/review-management/calls/{call.id}"
    client.post_form(f"{base}/rubric", {})
    r = client.post_form(
        f"{base}/criteria",
        {
            "name": "50% novelty",
            "description": "<b>x</b>",
            "weight": "1",
            "scale_max": "5",
            "threshold": "0",
        },
    )
    assert r.status_code == 302
    page = client.get(base)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "50% novelty" in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text


# --- redirects after sign-in and language switch --------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "/\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "https://evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/\n/evil.example",
    "/x\r\nSet-Cookie: a=b",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    " //evil.example",
    "\x00//evil.example",
    "/" + "a" * 5000,
    "///evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_site(client, make, target):
    user = make.user("applicant")
    r = client.post_form(
        "/auth/login",
        {"email": user.email, "password": "correct-horse-battery"},
        query_string={"next": target},
    )
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_language_switch_never_redirects_off_site(client, target):
    r = client.post_form("/language", {"lang": "en", "next": target})
    assert r.status_code == 302
    assert r.headers["Location"] == "/"


def test_sign_in_follows_a_path_on_the_site(client, make):
    user = make.user("applicant")
    r = client.post_form(
        "/auth/login",
        {"email": user.email, "password": "correct-horse-battery"},
        query_string={"next": "/proposals?status=draft"},
    )
    assert r.headers["Location"] == "/proposals?status=draft"


# --- absurd numbers ------------------------------------------------------------------

ABSURD_IDS = ["99999999999999999999999", str(INT_MAX + 1), "9" * 5000]


def _int_routes(app):
    """Every GET route with an <int:…> part, with its int arguments named."""
    for rule in app.url_map.iter_rules():
        ints = [
            name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)
        ]
        if ints and "GET" in rule.methods:
            yield rule, ints


def _url(rule, ints, value: str) -> str:
    path = rule.rule
    for name in ints:
        path = re.sub(rf"<int(\([^)]*\))?:{name}>", value, path)
    return re.sub(r"<[^>]+>", "x", path)


@pytest.fixture
def everyone(client, make):
    """Signed in with every role, so views get past their role checks to the database."""
    user = make.user("applicant", "reviewer", "manager", "admin")
    client.login(user.email)
    return user


def test_every_int_route_uses_the_bounded_converter(app):
    routes = list(_int_routes(app))
    assert len(routes) > 20
    assert {
        type(c)
        for rule, _ in routes
        for c in rule._converters.values()
        if isinstance(c, IntegerConverter)
    } == {BoundedIntConverter}


@pytest.mark.parametrize("value", ABSURD_IDS)
def test_ids_beyond_the_database_integer_answer_404_on_every_route(app, client, everyone, value):
    for rule, ints in _int_routes(app):
        url = _url(rule, ints, value)
        assert client.get(url).status_code == 404, url


def test_the_largest_integer_id_reaches_the_database_without_error(app, client, everyone):
    failures = {}
    for rule, ints in _int_routes(app):
        url = _url(rule, ints, str(INT_MAX))
        code = client.get(url).status_code
        if code >= 500:
            failures[url] = code
    assert failures == {}


@pytest.mark.parametrize(
    "page", ["99999999999999999999", "-5", "0", "abc", "1e9", "٣", str(INT_MAX), "９"]
)
@pytest.mark.parametrize("url", ["/admin/audit", "/budget/lines?year=2026", "/projects/indicators"])
def test_absurd_page_numbers_and_years_never_answer_500(client, everyone, url, page):
    sep = "&" if "?" in url else "?"
    r = client.get(f"{url}{sep}page={page}&year={page}&fund={page}")
    assert r.status_code in (200, 400, 404), (url, page)


def test_absurd_proposal_ids_in_the_budget_slate_are_ignored(client, everyone):
    r = client.get("/budget/slate?proposal=99999999999999999999&proposal=²&proposal=-3")
    assert r.status_code in (200, 404)


def test_an_unmatched_int_route_still_builds_urls(app):
    with app.test_request_context():
        from flask import url_for

        assert url_for("proposals.detail", proposal_id=INT_MAX).endswith(str(INT_MAX))


# --- formula injection in exports ----------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0"]


@pytest.fixture
def formula_call(make):
    call = make.call()
    for title in FORMULAS:
        make.proposal(
            call=call, title=title, submit=True, pi=make.user("applicant", institution="@evil")
        )
    return call


def test_submissions_workbook_holds_formula_titles_as_text(client, make, formula_call):
    client.login(make.manager().email)
    client.use_language("en")  # the workbook is headed in the user's language
    r = client.get(f"/calls/{formula_call.id}/submissions.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.data))["Submissions"]
    header = [c.value for c in sheet[1]]
    titles = [row[header.index("Title")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in titles) == sorted("'" + t for t in FORMULAS)
    assert {c.data_type for c in titles} == {"s"}
    institutions = [row[header.index("Institution")].value for row in sheet.iter_rows(min_row=2)]
    assert institutions == ["'@evil", "'@evil"]
    amounts = [row[header.index("Requested (đồng)")] for row in sheet.iter_rows(min_row=2)]
    assert {c.data_type for c in amounts} == {"n"}


def test_submissions_csv_holds_formula_titles_as_text(client, make, formula_call):
    client.login(make.manager().email)
    r = client.get(f"/calls/{formula_call.id}/submissions.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(row["title"] for row in rows) == sorted("'" + t for t in FORMULAS)
    assert all(not row[k].startswith(("=", "+", "-", "@")) for row in rows for k in row)


# --- bounded XLSX imports ------------------------------------------------------------

ROWS_REFUSED = "Bảng tính có hơn 100000 dòng"
UNPACKED_REFUSED = "Bảng tính khi giải nén vượt quá 100 MB"


@pytest.mark.parametrize(
    "bomb, message",
    [
        # 1.4 million rows: 120 MB unpacked from 0.4 MB (the test client spools bodies above
        # 0.5 MB to a temporary file it never closes)
        (lambda cols: rows_bomb(cols, 1_400_000), UNPACKED_REFUSED),
        (lambda cols: rows_bomb(cols, 150_000), ROWS_REFUSED),
        (lambda cols: declared_bomb(cols, 2_000_000), ROWS_REFUSED),
    ],
)
def test_budget_import_refuses_an_xlsx_bomb_with_its_reason(client, make, session, bomb, message):
    client.login(make.manager().email)
    data = bomb(["fund_code", "name"])
    r = client.post_form(
        "/budget/import",
        {"files": [(BytesIO(data), "funds.xlsx")]},
        content_type="multipart/form-data",
        follow_redirects=True,  # to the import job's page, which lists the refusal
    )
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert message in page
    assert "funds.xlsx" in page
    assert session.exec(select(Fund).where(Fund.code == "1")).first() is None


@pytest.mark.parametrize(
    "data, message",
    [
        (rows_bomb(OUTPUT_COLUMNS, 150_000), ROWS_REFUSED),
        (b"not a zip at all", "Tệp không phải là bảng tính XLSX đọc được."),
    ],
)
def test_outputs_import_refuses_an_xlsx_bomb_with_its_reason(client, make, data, message):
    client.login(make.manager().email)
    r = client.post_form(
        "/projects/outputs/import",
        {"file": (BytesIO(data), "outputs.xlsx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    assert message in r.get_data(as_text=True)


@pytest.mark.parametrize("version", ["99999999999999999999", str(INT_MAX + 1), "-1"])
def test_an_absurd_version_number_in_a_form_is_refused_not_a_500(client, make, version):
    pi = make.user("applicant")
    draft = make.proposal(pi=pi)
    client.login(pi.email)
    autosave = client.post_form(
        f"/proposals/{draft.id}/autosave",
        {"version_id": version, "title": "Tên mới"},
        headers={"X-Requested-With": "fetch"},
    )
    assert autosave.status_code == 422
    assert autosave.json["saved"] is False
    edit = client.post_form(f"/proposals/{draft.id}/edit", {"version_id": version, "title": "x"})
    assert edit.status_code == 422  # the form again, with its error
    submit = client.post_form(
        f"/proposals/{draft.id}/submit", {"confirm": "yes", "version_id": version}
    )
    assert submit.status_code < 500
