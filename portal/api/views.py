"""JSON API v1: the open data of the public pages (calls, projects, outputs, indicators,
figures) with pagination, filters, ETags and CSV downloads, described by /api/v1/openapi.json;
and the compliance report, for fund managers or a token with the compliance scope."""

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import date, datetime

from flask import Blueprint, Response, json, request, url_for
from flask_login import current_user
from sqlmodel import Session

from funds.clock import utcnow
from funds.compliance import report
from funds.compliance.permissions import can_view_compliance
from funds.publication import queries
from funds.publication.calls import queries as call_queries
from funds.publication.errors import BadFilter, TokenRefused
from funds.publication.models import ApiToken
from funds.publication.services import authenticate_token
from funds.publication.statistics import queries as stats
from portal import db
from portal.api.problems import bad_parameter, not_found, problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_MAX_AGE = 300  # seconds a public answer may be cached
CSV_CHUNK = 500


def plain(value):
    """Dates and instants as ISO 8601 text, recursively (JSON and CSV)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def bearer() -> ApiToken | None:
    """The request's token (None without one); TokenRefused when it is not valid."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    if not header.lower().startswith("bearer "):
        raise TokenRefused("Use the Authorization header: Bearer <token>.")
    return authenticate_token(db.session(), header[7:].strip())


def opened_funds(token: ApiToken | None) -> set[int]:
    """The funds whose non-public fields this token opens (its fund, restricted_fields)."""
    return {token.fund_id} if token and token.scope == "restricted_fields" else set()


@bp.errorhandler(BadFilter)
def _bad_filter(exc: BadFilter):
    return bad_parameter(exc.name, "not a valid value for this filter")


@bp.errorhandler(TokenRefused)
def _token_refused(exc: TokenRefused):
    return problem(
        401,
        "Unauthorized",
        str(exc.message),
        kind="token-refused",
        headers={"WWW-Authenticate": 'Bearer realm="rdfund"'},
    )


@bp.errorhandler(404)
def _not_found(_exc):
    return not_found()


def answer(body: dict, *, private: bool = False) -> Response:
    """JSON with a strong ETag (304 when the client has it) and caching headers: public
    answers may be cached a while; an answer opened by a token is private."""
    data = json.dumps(plain(body), sort_keys=True, ensure_ascii=False)
    response = Response(data, mimetype="application/json")
    response.set_etag(hashlib.sha256(data.encode()).hexdigest()[:40])
    response.headers["Cache-Control"] = (
        "no-store" if private else f"public, max-age={PUBLIC_MAX_AGE}"
    )
    response.vary.add("Authorization")
    return response.make_conditional(request)


def listing(rows: list[dict], total: int, f: queries.Filters, **kw) -> Response:
    """A page of rows with its total and links (first, last, prev, next) keeping filters."""
    last = max((total + f.per_page - 1) // f.per_page, 1)
    args = {k: v for k, v in request.args.items() if v}

    def at(n: int) -> str:
        return url_for(request.endpoint or "api.projects", **{**args, "page": n}, _external=True)

    links = {
        "self": at(f.page),
        "first": at(1),
        "last": at(last),
        "prev": at(f.page - 1) if f.page > 1 else None,
        "next": at(f.page + 1) if f.page < last else None,
    }
    meta = {"total": total, "page": f.page, "per_page": f.per_page}
    return answer({"data": rows, "meta": meta, "links": links}, **kw)


def csv_download(name: str, header: list[str], make_rows) -> Response:
    """A CSV file streamed row by row (the whole filtered set, not a page); the rows are read
    on a session of their own, which lives as long as the download."""
    engine = db.engine()

    def lines():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        with Session(engine) as s:
            yield from _written(out, writer, make_rows(s))

    response = Response(lines(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


def _written(out: io.StringIO, writer, rows: Iterator[list]) -> Iterator[str]:
    for row in rows:
        writer.writerow(["" if v is None else v for v in plain(row)])
        if out.tell() > 64_000:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


@bp.get("/calls")
def calls():
    """Open and past calls (status: open or closed), newest first."""
    f = queries.parse_filters(request.args, statuses=call_queries.CALL_PHASES)
    rows, total = call_queries.call_page(db.read_session(), f, utcnow())
    return listing(rows, total, f)


@bp.get("/calls/<int:call_id>")
def call(call_id: int):
    found = call_queries.public_call(db.read_session(), call_id, utcnow())
    return answer(found) if found else not_found("No public call has this id.")


@bp.get("/projects")
def projects():
    """Funded projects, newest first; a restricted_fields token adds its fund's other fields."""
    token = bearer()
    f = queries.parse_filters(request.args)
    opened = opened_funds(token)
    rows, total = queries.project_page(db.read_session(), f, opened=opened)
    return listing([queries.public_view(r) for r in rows], total, f, private=bool(opened))


@bp.get("/projects/<project_id>")
def project(project_id: str):
    """One funded project with its results (the fields its fund publishes)."""
    token = bearer()
    s = db.read_session()
    record_id = queries.project_by_public_id(s, project_id)
    if record_id is None:
        return not_found("No funded project has this identifier.")
    opened = opened_funds(token)
    view = queries.project_views(s, [record_id], opened=opened)[0]
    body = queries.public_view(view) | {"outputs": queries.project_outputs(s, view)}
    return answer(body, private=bool(opened))


@bp.get("/outputs")
def outputs():
    """Results of funded projects (of funds publishing them), by output id."""
    token = bearer()
    f = queries.parse_filters(request.args)
    opened = opened_funds(token)
    rows, total = queries.output_page(db.read_session(), f, opened=opened)
    return listing(rows, total, f, private=bool(opened))


@bp.get("/indicators")
def indicators():
    """Resolution 57's indicators of a year, for a fund or the whole portfolio."""
    f = queries.parse_filters(request.args)
    s = db.read_session()
    fund = stats.fund_by_code(s, f.fund) if f.fund else None
    if f.fund and fund is None:
        return not_found("No fund has this code.")
    year = f.year or stats.current_year()
    rows = stats.fund_indicators(s, fund, year)
    return answer({"year": year, "fund": f.fund, "data": rows})


@bp.get("/statistics")
def statistics():
    """A fund's (or the portfolio's) public figures."""
    f = queries.parse_filters(request.args)
    s = db.read_session()
    fund = stats.fund_by_code(s, f.fund) if f.fund else None
    if f.fund and fund is None:
        return not_found("No fund has this code.")
    return answer(stats.fund_statistics(s, fund))


PROJECT_CSV = [
    "id", "title", "fund", "call_id", "year", "area", "host", "pi_name", "amount_vnd",
    "start_date", "end_date", "status", "rating",
]  # fmt: skip


@bp.get("/projects.csv")
def projects_csv():
    """Every funded project matching the filters, as CSV (public fields only)."""
    f = queries.parse_filters(request.args)

    def rows(s):
        ids = queries.all_project_ids(s, f)
        for start in range(0, len(ids), CSV_CHUNK):
            for p in queries.project_views(s, ids[start : start + CSV_CHUNK]):
                yield [
                    p["id"], p["title"], p["fund"]["code"], p["call"]["id"], p["year"],
                    p["area"]["code"] if p["area"] else None,
                    p["host"]["name_vi"] if p["host"] else None,
                    p.get("pi_name"), p.get("amount_vnd"), p["start_date"], p["end_date"],
                    p["status"], p.get("rating"),
                ]  # fmt: skip

    return csv_download("projects", PROJECT_CSV, rows)


OUTPUT_CSV = ["id", "project_id", "kind", "title", "year", "international", "reference"]


@bp.get("/outputs.csv")
def outputs_csv():
    """Every result matching the filters, as CSV (public fields only)."""
    f = queries.parse_filters(request.args)

    def rows(s):
        page = 1
        while True:
            chunk = queries.Filters(**{**f.__dict__, "page": page, "per_page": CSV_CHUNK})
            found, _total = queries.output_page(s, chunk)
            yield from ([o[k] for k in OUTPUT_CSV] for o in found)
            if len(found) < CSV_CHUNK:
                return
            page += 1

    return csv_download("outputs", OUTPUT_CSV, rows)


CALL_CSV = ["id", "title", "fund", "phase", "opens_at", "closes_at", "ceiling_vnd", "budget_vnd"]


@bp.get("/calls.csv")
def calls_csv():
    """Every public call matching the filters, as CSV."""
    f = queries.parse_filters(request.args, statuses=call_queries.CALL_PHASES)
    big = queries.Filters(**{**f.__dict__, "page": 1, "per_page": 10**6})
    now = utcnow()

    def rows(s):
        found, _total = call_queries.call_page(s, big, now)
        return ([c[k] if k != "fund" else c["fund"]["code"] for k in CALL_CSV] for c in found)

    return csv_download("calls", CALL_CSV, rows)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    from portal.api.openapi import description

    return answer(description(url_for("api.openapi", _external=True).rsplit("/", 1)[0]))


@bp.get("/compliance/<int:year>")
def compliance(year: int):
    """{"fiscal_year": Y, "rules": [...]}: the same figures as `flask compliance`; for fund
    managers signed in, or a token with the compliance scope."""
    token = bearer()
    if token is not None and token.scope != "compliance":
        return problem(403, "Forbidden", "This token's scope does not cover compliance.")
    if token is None and not (current_user.is_authenticated and can_view_compliance(current_user)):
        return problem(403, "Forbidden", "Fund managers only.")
    return answer(report.year_report(db.read_session(), year), private=True)
