"""The open data API: no marker of a non-public field reaches any public page or endpoint;
every response matches the OpenAPI description; pagination, ETags, rate limits, problem JSON
for bad parameters and unknown ids, CSV downloads, and tokens scoped to a fund and a role."""

import csv
import io

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from sqlmodel import select

from funds.publication.models import ApiToken
from funds.publication.services import create_token, revoke_token
from tests.public_data import MARKERS, marked_portfolio


@pytest.fixture
def portfolio(make, session):
    return marked_portfolio(make, session)


def _real_ids(portfolio) -> dict:
    """A real value for every URL variable of the public routes."""
    return {
        "call_id": portfolio.call.id,
        "public_id": portfolio.public_id,
        "project_id": portfolio.public_id,
        "code": "PUB",
        "year": 2026,
    }


def _public_urls(app, portfolio) -> list[str]:
    """Every GET route of the public pages and of /api/v1, from the URL map, with real ids
    (each project route once per fund: the default one and the one withholding fields)."""
    values = _real_ids(portfolio)
    urls = []
    for rule in app.url_map.iter_rules():
        public = rule.endpoint.startswith("public.") or rule.rule.startswith("/api/v1")
        if not public or "GET" not in rule.methods:
            continue
        args = {name: values[name] for name in rule.arguments}
        urls.append(rule.build(args, append_unknown=False)[1])
        if "public_id" in rule.arguments or "project_id" in rule.arguments:
            other = dict.fromkeys(args, portfolio.hidden_public_id)
            urls.append(rule.build(other, append_unknown=False)[1])
    return urls


def test_no_non_public_field_reaches_any_public_page_or_endpoint(app, client, portfolio):
    urls = _public_urls(app, portfolio)
    assert len(urls) >= 15
    filtered = ["/public/projects?fund=KIN", "/api/v1/projects?per_page=100", "/api/v1/outputs"]
    walked = 0
    for lang in ("vi", "en"):
        client.use_language(lang)
        for url in [*urls, *filtered]:
            response = client.get(url)
            if url.startswith("/api/v1/compliance"):
                assert response.status_code == 403  # not public
            else:
                assert response.status_code == 200, url
            text = response.get_data(as_text=True)
            leaked = [m for m in MARKERS if m in text]
            assert leaked == [], f"{url} shows {leaked}"
            assert '"score"' not in text
            assert '"comment"' not in text
            walked += 1
    project = client.get(f"/api/v1/projects/{portfolio.public_id}").get_json()
    assert project["pi_name"] == "Nguyễn Văn Điện"
    assert project["rating"] == "excellent"
    assert {o["kind"] for o in project["outputs"]} == {"publication", "licence"}
    assert "value_vnd" not in project["outputs"][0]
    hidden = client.get(f"/api/v1/projects/{portfolio.hidden_public_id}").get_json()
    assert "abstract" not in hidden
    assert "pi_name" not in hidden
    assert "amount_vnd" in hidden
    assert walked > 30


def test_every_api_response_matches_the_openapi_description(app, portfolio):
    """Schemathesis generates requests for every operation of the description (a few each:
    the suite runs it on both databases) and checks each answer against it. The pytest
    integration (`from_fixture`) does not run under pytest 9, so each operation gets its own
    Hypothesis test here."""
    app.config["API_RATE_LIMIT"] = ""  # the generated requests are many
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case):
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        conforms()


def test_lists_are_paginated_with_links_and_a_total(client, portfolio):
    body = client.get("/api/v1/projects?per_page=1").get_json()
    assert body["meta"] == {"total": 2, "page": 1, "per_page": 1}
    assert body["links"]["prev"] is None
    assert "page=2" in body["links"]["next"]
    second = client.get(body["links"]["next"]).get_json()
    assert second["data"][0]["id"] != body["data"][0]["id"]  # newest first, then the next
    assert second["links"]["next"] is None


def test_an_unchanged_answer_is_not_sent_twice(client, portfolio):
    first = client.get("/api/v1/projects?fund=PUB")
    assert first.headers["Cache-Control"].startswith("public")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/projects?fund=PUB", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other = client.get("/api/v1/projects?fund=KIN", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_bad_parameters_and_unknown_ids_get_problem_json(client, portfolio):
    for url, name in (
        ("/api/v1/projects?year=abc", "year"),
        ("/api/v1/projects?per_page=1000", "per_page"),
        ("/api/v1/projects?status=lost", "status"),
        ("/api/v1/outputs?kind=poem", "kind"),
        ("/api/v1/calls?fund=%00", "fund"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == 400
        assert problem["invalid_params"][0]["name"] == name
        assert {"type", "title", "detail"} <= set(problem)
    for url in ("/api/v1/projects/PUB-1999-00009", "/api/v1/calls/99999", "/api/v1/nothing"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_a_client_past_its_limit_gets_429_with_retry_after(app, client, portfolio):
    app.extensions["rdfund.limiter"].reset()
    app.config["API_RATE_LIMIT"] = "3 per minute"
    codes = [client.get("/api/v1/calls").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/projects")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.mimetype == "application/problem+json"
    other = client.get("/api/v1/calls", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another client has its own count


def test_csv_downloads_hold_every_matching_row_and_only_public_fields(client, portfolio):
    response = client.get("/api/v1/projects.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["id"] for r in rows} == {portfolio.public_id, portfolio.hidden_public_id}
    hidden = next(r for r in rows if r["id"] == portfolio.hidden_public_id)
    assert hidden["pi_name"] == ""
    outputs = client.get("/api/v1/outputs.csv?kind=licence").get_data(as_text=True)
    assert "Li-xăng" in outputs
    assert "987654321" not in outputs
    assert "Đợt gọi công khai 2026" in client.get("/api/v1/calls.csv").get_data(as_text=True)


def test_a_token_opens_only_its_funds_hidden_fields_and_only_its_scope(
    client, make, session, portfolio
):
    manager = make.manager()
    token, plain = create_token(
        session, actor=manager, fund_id=portfolio.hidden_fund.id, name="Báo cáo",
        scope="restricted_fields", days=30,
    )  # fmt: skip
    session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    hidden = client.get(f"/api/v1/projects/{portfolio.hidden_public_id}", headers=auth)
    body = hidden.get_json()
    assert body["abstract"] == "MARKER_HIDDEN_ABSTRACT"
    assert body["pi_name"] == "MARKER_HIDDEN_PI"
    assert hidden.headers["Cache-Control"] == "no-store"  # never kept by a proxy
    assert any("value_vnd" in o for o in body["outputs"])
    other = client.get(f"/api/v1/projects/{portfolio.public_id}", headers=auth).get_json()
    assert "value_vnd" not in other["outputs"][0]  # another fund's withheld field stays shut
    refused = client.get("/api/v1/compliance/2026", headers=auth)
    assert refused.status_code == 403  # scope restricted_fields does not cover compliance
    assert session.exec(select(ApiToken)).one().token_hash != plain  # only the hash is kept
    revoke_token(session, actor=manager, token_id=token.id)
    session.commit()
    gone = client.get("/api/v1/projects", headers=auth)
    assert gone.status_code == 401
    assert gone.mimetype == "application/problem+json"
    wrong = client.get("/api/v1/projects", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_a_compliance_token_reads_the_compliance_report(client, make, session, portfolio):
    _token, plain = create_token(
        session, actor=make.manager(), fund_id=portfolio.fund.id, name="Tuân thủ",
        scope="compliance", days=1,
    )  # fmt: skip
    session.commit()
    response = client.get("/api/v1/compliance/2026", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200
    assert response.get_json()["fiscal_year"] == 2026


def test_the_openapi_description_names_every_api_route(app, client):
    described = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    routes = {
        r.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1") and not r.rule.endswith("openapi.json")
    }
    assert routes == described
