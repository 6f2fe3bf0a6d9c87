"""The public read model: every public page and API endpoint reads through here, and
`project_view` is the one place that decides which fields of a project leave the portal."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from sqlalchemy import and_, literal, or_
from sqlmodel import Session, col, func, select

from funds.accounts.models import User
from funds.calls.models import Call, Fund
from funds.hosts.models import Host
from funds.projects.models import Award, AwardBudgetLine, AwardStatus, Closeout, Output
from funds.projects.services import OUTPUT_KINDS  # one list of output kinds
from funds.proposals.models import Proposal
from funds.publication import rules
from funds.publication.errors import BadFilter
from funds.publication.models import PublicationSetting, PublicProject
from funds.taxonomy.models import StrategicTechnology
from funds.text import SEARCH_MAX_CHARS, search_terms

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Filters:
    """A public list's filters, checked (funds.publication.errors.BadFilter names the bad one)."""

    year: int | None = None
    fund: str | None = None
    area: str | None = None
    host: int | None = None
    status: str | None = None
    kind: str | None = None
    q: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    extra: dict = field(default_factory=dict)


def _int(args: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadFilter(name)
    return int(raw)


def _choice(args: Mapping[str, str], name: str, allowed: Collection[str]) -> str | None:
    raw = (args.get(name) or "").strip()
    if raw and raw not in allowed:
        raise BadFilter(name)
    return raw or None


def _code(args: Mapping[str, str], name: str) -> str | None:
    raw = (args.get(name) or "").strip()
    if len(raw) > 40 or any(not (ch.isalnum() or ch in "-_.") for ch in raw):
        raise BadFilter(name)
    return raw or None


def parse_filters(args: Mapping[str, str], *, statuses: Collection[str] = ()) -> Filters:
    """The filters of a public list from request arguments; BadFilter on the first bad one."""
    return Filters(
        year=_int(args, "year", 1900, 2200),
        fund=_code(args, "fund"),
        area=_code(args, "area"),
        host=_int(args, "host", 1, 2**31 - 1),
        status=_choice(args, "status", statuses or [s.value for s in AwardStatus]),
        kind=_choice(args, "kind", OUTPUT_KINDS),
        q=(args.get("q") or "")[:SEARCH_MAX_CHARS],
        page=_int(args, "page", 1, 10**6) or 1,
        per_page=_int(args, "per_page", 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE,
    )


def fund_fields(session: Session, fund_ids: Collection[int]) -> dict[int, frozenset[str]]:
    """The optional fields each fund publishes (defaults where it chose nothing)."""
    stored = {
        s.fund_id: s.public_fields
        for s in session.exec(
            select(PublicationSetting).where(col(PublicationSetting.fund_id).in_(list(fund_ids)))
        ).all()
    }
    return {f: rules.public_fields(stored.get(f)) for f in fund_ids}


def _funds_publishing(session: Session, name: str):
    """A subquery of the funds whose publication setting includes `name` (defaults count)."""
    listed = literal(",") + col(PublicationSetting.public_fields) + literal(",")
    chosen = select(PublicationSetting.fund_id).where(listed.contains(f",{name},"))
    if name in rules.DEFAULT_FIELDS:
        unset = select(Fund.id).where(col(Fund.id).not_in(select(PublicationSetting.fund_id)))
        return chosen.union(unset)
    return chosen


def _project_filters(session: Session, stmt, f: Filters, *, joined: bool = False):
    """The filters on a statement from the public records; the award and the proposal are
    joined only when a filter needs them (`joined`: the statement has them already), so a
    count by year or fund reads one table."""
    if not joined and (f.area or f.host):
        stmt = stmt.join(Proposal, col(Proposal.id) == PublicProject.proposal_id)
    if not joined and f.status:
        stmt = stmt.join(Award, col(Award.id) == PublicProject.award_id)
    if f.year:
        stmt = stmt.where(PublicProject.year == f.year)
    if f.fund:
        stmt = stmt.where(
            PublicProject.fund_id == select(Fund.id).where(Fund.code == f.fund).scalar_subquery()
        )
    if f.area:
        stmt = stmt.where(Proposal.area_code == f.area)
    if f.host:
        stmt = stmt.where(Proposal.host_id == f.host)
    if f.status:
        stmt = stmt.where(Award.status == f.status)
    terms = search_terms(f.q)
    if terms:
        showing_pi = _funds_publishing(session, "pi_name")
        for term in terms:
            stmt = stmt.where(
                or_(
                    col(PublicProject.search_text).contains(term, autoescape=True),
                    and_(
                        col(PublicProject.pi_text).contains(term, autoescape=True),
                        col(PublicProject.fund_id).in_(showing_pi),
                    ),
                )
            )
    return stmt


def joined_records(stmt):
    """The statement from the public records joined to their awards and proposals."""
    return stmt.join(Award, col(Award.id) == PublicProject.award_id).join(
        Proposal, col(Proposal.id) == Award.proposal_id
    )


def project_page(
    session: Session, f: Filters, *, opened: Collection[int] = (), counts: bool = True
) -> tuple[list[dict], int]:
    """One page of funded projects (newest first, by public record), and the total (two
    queries of the records, joined only as the filters need; then the page's rows)."""
    filtered = _project_filters(session, select(PublicProject.id), f)
    total = session.exec(
        _project_filters(session, select(func.count()).select_from(PublicProject), f)
    ).one()
    found = session.exec(
        filtered.order_by(col(PublicProject.id).desc())
        .offset((f.page - 1) * f.per_page)
        .limit(f.per_page)
    ).all()
    return project_views(session, list(found), opened=opened, counts=counts), total


def all_project_ids(session: Session, f: Filters) -> list[int]:
    """Every matching record (the bulk CSV), in the same order as the pages."""
    stmt = _project_filters(session, select(PublicProject.id), f)
    return list(session.exec(stmt.order_by(col(PublicProject.id).desc())).all())


def project_by_public_id(session: Session, public_id: str) -> int | None:
    return session.exec(
        select(PublicProject.id).where(PublicProject.public_id == public_id[:80])
    ).first()


def _output_counts(session: Session, award_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = session.exec(
        select(Output.award_id, Output.kind, func.count())
        .where(col(Output.award_id).in_(award_ids))
        .group_by(col(Output.award_id), col(Output.kind))
    ).all()
    found: dict[int, dict[str, int]] = {}
    for award_id, kind, n in rows:
        found.setdefault(award_id, {})[kind] = n
    return found


def _area_view(area: StrategicTechnology | None, code: str | None) -> dict | None:
    if not code:
        return None
    return {
        "code": code,
        "name_vi": area.name_vi if area else code,
        "name_en": area.name_en if area else code,
    }


def project_views(
    session: Session, ids: list[int], *, opened: Collection[int] = (), counts: bool = True
) -> list[dict]:
    """The public form of these records, in the given order: the always-public fields, and the
    optional ones the fund publishes (all of them for the funds in `opened`, a token's)."""
    if not ids:
        return []
    amount = (
        select(func.coalesce(func.sum(AwardBudgetLine.amount_vnd), 0))
        .where(AwardBudgetLine.award_id == Award.id, AwardBudgetLine.source == "state")
        .scalar_subquery()
    )
    rating = (
        select(Closeout.rating)
        .where(Closeout.award_id == Award.id, col(Closeout.closed_at).is_not(None))
        .scalar_subquery()
    )
    rows = session.exec(
        select(  # type: ignore[call-overload]
            PublicProject,
            Award,
            Proposal,
            Call,
            Fund,
            User.name,
            Host,
            StrategicTechnology,
            PublicationSetting.public_fields,
            amount,
            rating,
        )
        .join(Award, col(Award.id) == PublicProject.award_id)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .join(Call, col(Call.id) == Proposal.call_id)
        .join(Fund, col(Fund.id) == Call.fund_id)
        .join(User, col(User.id) == Proposal.pi_id)
        .outerjoin(Host, col(Host.id) == Proposal.host_id)
        .outerjoin(StrategicTechnology, col(StrategicTechnology.code) == Proposal.area_code)
        .outerjoin(PublicationSetting, col(PublicationSetting.fund_id) == Fund.id)
        .where(col(PublicProject.id).in_(ids))
    ).all()
    extras = {"outputs": _output_counts(session, [r[1].id for r in rows]) if counts else {}}
    views = {r[0].id: project_view(r, extras, opened=opened) for r in rows}
    return [views[i] for i in ids if i in views]


def project_view(row, extras: dict, *, opened: Collection[int] = ()) -> dict:
    """One project as the public sees it. Never here: reviewers, scores, comments, drafts,
    budget lines, the PI's contacts, proposals not funded (docs/public.md)."""
    record, award, proposal, call, fund, pi_name, host, area, fields, amount, rating = row
    shown = frozenset(rules.FIELD_NAMES) if fund.id in opened else rules.public_fields(fields)
    closed = award.status == AwardStatus.CLOSED
    view: dict = {
        "id": record.public_id,
        "title": proposal.title,
        "title_en": proposal.title_en or None,
        "fund": {"code": fund.code, "name": fund.name},
        "call": {"id": call.id, "title": call.title},
        "year": record.year,
        "area": _area_view(area, proposal.area_code),
        "host": {"id": host.id, "name_vi": host.name_vi, "name_en": host.name_en or None}
        if host
        else None,
        "start_date": award.start_date,
        "end_date": award.end_date,
        "status": award.status,
    }
    if "pi_name" in shown:
        view["pi_name"] = pi_name
    if "amount" in shown:
        view["amount_vnd"] = int(amount or 0)
    if "abstract" in shown:
        view["abstract"] = proposal.abstract
    if "rating" in shown:
        view["rating"] = rating if closed else None
    if "outputs" in shown:
        view["output_counts"] = extras["outputs"].get(award.id, {})
    view["_award_id"] = award.id  # for the detail's outputs; dropped before leaving
    view["_fields"] = shown
    return view


def public_view(view: dict) -> dict:
    """The view without its private helpers (what the API returns)."""
    return {k: v for k, v in view.items() if not k.startswith("_")}


def project_outputs(session: Session, view: dict) -> list[dict]:
    """A project's results as the public sees them (none when its fund withholds outputs)."""
    if "outputs" not in view["_fields"]:
        return []
    rows = session.exec(
        select(Output)
        .where(Output.award_id == view["_award_id"])
        .order_by(col(Output.year), col(Output.kind), col(Output.id))
    ).all()
    return [output_view(o, view["id"], "output_value" in view["_fields"]) for o in rows]


def output_view(o: Output, public_id: str, with_value: bool) -> dict:
    found = {
        "id": o.id,
        "project_id": public_id,
        "kind": o.kind,
        "title": o.title,
        "year": o.year,
        "international": o.international,
        "reference": o.reference or None,
    }
    if with_value:
        found["value_vnd"] = o.value_vnd
    return found


def output_page(
    session: Session, f: Filters, *, opened: Collection[int] = ()
) -> tuple[list[dict], int]:
    """One page of results of funded projects of funds publishing outputs (by output id),
    filtered by the output's year, the project's fund, area, host and status, and kind."""
    stmt = (
        joined_records(
            select(Output, PublicProject.public_id, PublicProject.fund_id).select_from(
                PublicProject
            )
        )
        .join(Output, col(Output.award_id) == Award.id)
        .where(
            or_(
                col(PublicProject.fund_id).in_(_funds_publishing(session, "outputs")),
                col(PublicProject.fund_id).in_(list(opened)),
            )
        )
    )
    plain = Filters(**{**f.__dict__, "year": None, "q": ""})
    stmt = _project_filters(session, stmt, plain, joined=True)
    if f.year:
        stmt = stmt.where(Output.year == f.year)
    if f.kind:
        stmt = stmt.where(Output.kind == f.kind)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(
        stmt.order_by(col(Output.id)).offset((f.page - 1) * f.per_page).limit(f.per_page)
    ).all()
    valued = {
        fid
        for fid, shown in fund_fields(session, {r[2] for r in rows}).items()
        if "output_value" in shown or fid in opened
    }
    return [output_view(o, pid, fid in valued) for o, pid, fid in rows], total
