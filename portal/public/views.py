"""Public pages, no account needed: calls, funded projects and results, a fund's figures.
Every page reads through funds.publication's queries, which select only public rows and the
fields each fund publishes; nothing here needs or checks a signed-in user."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from sqlmodel import select

from funds.clock import utcnow
from funds.hosts.models import Host
from funds.legal.models import LegalInstrument
from funds.projects.models import AwardStatus
from funds.projects.rules import AWARD
from funds.publication import queries
from funds.publication.calls import queries as call_queries
from funds.publication.errors import BadFilter
from funds.publication.statistics import queries as stats
from funds.taxonomy.models import StrategicTechnology
from portal import db
from portal.projects.labels import basis_text
from portal.projects.views import shown
from portal.public import CALL_PHASES
from portal.reports.charts import indicator_chart
from portal.states import state_options

bp = Blueprint("public", __name__, url_prefix="/public")

LIST_ARGS = ("q", "year", "fund", "area", "host", "status", "kind", "page")


def canonical_url() -> str:
    """This page's address without empty or unknown arguments (the <link rel=canonical>)."""
    args = {k: v for k, v in request.args.items() if k in LIST_ARGS and v and v != "1"}
    return url_for(
        request.endpoint or "public.index", **(request.view_args or {}), **args, _external=True
    )


def localized(item: dict | None, name: str = "name") -> str:
    """An item's English name on an English page when it has one, else the Vietnamese."""
    if not item:
        return "—"
    if str(get_locale()) == "en" and item.get(f"{name}_en"):
        return item[f"{name}_en"]
    return item.get(f"{name}_vi") or ""


@bp.app_context_processor
def _helpers():
    return {"canonical_url": canonical_url, "localized": localized}


def _filters(statuses=()):
    """The request's filters, or the defaults and the error to show beside the form."""
    try:
        return queries.parse_filters(request.args, statuses=statuses), None
    except BadFilter as exc:
        return queries.Filters(q=request.args.get("q", "")[:200]), exc


def _pages(total: int, f: queries.Filters) -> dict:
    """Previous and next page links keeping the filters."""
    last = max((total + f.per_page - 1) // f.per_page, 1)
    args = {k: v for k, v in request.args.items() if k in LIST_ARGS and v}

    def at(n):
        return url_for(request.endpoint or "public.index", **{**args, "page": n})

    return {
        "page": f.page,
        "last": last,
        "prev": at(f.page - 1) if f.page > 1 else None,
        "next": at(f.page + 1) if f.page < last else None,
    }


@bp.get("/")
def index():
    """The portfolio in figures, the funds, and the calls open now."""
    s = db.read_session()  # public pages read the replica when there is one
    open_only = queries.Filters(status="open", per_page=5)
    calls, open_total = call_queries.call_page(s, open_only, utcnow())
    return render_template(
        "public/index.html",
        figures=stats.fund_statistics(s, None),
        funds=stats.public_funds(s),
        calls=calls,
        open_total=open_total,
    )


@bp.get("/calls")
def calls():
    """Open and past calls, filtered by phase, fund and year."""
    s = db.read_session()  # public pages read the replica when there is one
    f, error = _filters(statuses=call_queries.CALL_PHASES)
    rows, total = call_queries.call_page(s, f, utcnow())
    return render_template(
        "public/calls.html",
        rows=rows,
        total=total,
        f=f,
        error=error,
        pages=_pages(total, f),
        funds=stats.public_funds(s),
        phases=[
            {"value": p, "label": CALL_PHASES[p], "selected": p == f.status}
            for p in call_queries.CALL_PHASES
        ],
    ), (400 if error else 200)


@bp.get("/calls/<int:call_id>")
def call(call_id: int):
    """A call's rules, the documents a proposal needs, its timeline and funded projects."""
    s = db.read_session()  # public pages read the replica when there is one
    found = call_queries.public_call(s, call_id, utcnow())
    if found is None:
        abort(404)
    projects = queries.project_views(s, call_queries.call_project_ids(s, call_id))
    return render_template(
        "public/call.html", call=found, projects=projects, is_open=found["phase"] == "open"
    )


def _choices(s, f: queries.Filters) -> dict:
    """The options of the filters, labelled in the reader's language, the chosen one marked."""
    english = str(get_locale()) == "en"
    areas = s.exec(
        select(
            StrategicTechnology.code, StrategicTechnology.name_vi, StrategicTechnology.name_en
        ).order_by(StrategicTechnology.code)
    ).all()
    hosts = s.exec(select(Host.id, Host.name_vi, Host.name_en).order_by(Host.name_vi)).all()
    return {
        "areas": [(code, (en if english and en else vi), code == f.area) for code, vi, en in areas],
        "hosts": [(i, (en if english and en else vi), i == f.host) for i, vi, en in hosts],
        "funds": stats.public_funds(s),
    }


@bp.get("/projects")
def projects():
    """Funded projects: search (accents ignored) and filters, newest first, by pages."""
    s = db.read_session()  # public pages read the replica when there is one
    f, error = _filters()
    rows, total = queries.project_page(s, f, counts=False)
    return render_template(
        "public/projects.html",
        rows=rows,
        total=total,
        f=f,
        error=error,
        pages=_pages(total, f),
        statuses=state_options(AWARD, list(AwardStatus), f.status),
        **_choices(s, f),
    ), (400 if error else 200)


@bp.get("/projects/<public_id>")
def project(public_id: str):
    """A funded project with the fields its fund publishes, and its results and rating."""
    s = db.read_session()  # public pages read the replica when there is one
    record_id = queries.project_by_public_id(s, public_id)
    if record_id is None:
        abort(404)
    view = queries.project_views(s, [record_id])[0]
    return render_template(
        "public/project.html",
        p=view,
        outputs=queries.project_outputs(s, view),
        show_value="output_value" in view["_fields"],
    )


@bp.get("/funds/<code>")
def fund(code: str):
    """A fund's figures and Resolution 57 indicators of a year."""
    s = db.read_session()  # public pages read the replica when there is one
    found = stats.fund_by_code(s, code)
    if found is None:
        abort(404)
    year = request.args.get("year", stats.current_year(), type=int)
    if not 1990 <= year <= 2200:
        year = stats.current_year()
    history = stats.fund_indicator_report(s, found, range(year - 4, year + 1))
    rows = [shown(i) for i in history[year]]
    numbers = {i.code: i.number for i in s.exec(select(LegalInstrument)).all()}
    return render_template(
        "public/fund.html",
        fund=found,
        figures=stats.fund_statistics(s, found),
        year=year,
        rows=[r | {"legal_basis": basis_text(r["legal_basis"], numbers)} for r in rows],
        chart=indicator_chart(history),
    )
