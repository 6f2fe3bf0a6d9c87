"""Open and past calls as the public sees them (a call is public once it opens)."""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, func, select

from funds.calls.models import Call, CallArea, Fund
from funds.clock import LOCAL_TZ
from funds.projects.models import Award
from funds.proposals.models import Proposal
from funds.publication import rules
from funds.publication.models import PublicProject
from funds.publication.queries import Filters, joined_records

CALL_PHASES = ("open", "closed")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The instants a calendar year of Vietnam starts and ends."""
    return datetime(year, 1, 1, tzinfo=LOCAL_TZ), datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ)


def _call_filters(stmt, f: Filters, now: datetime):
    stmt = stmt.where(col(Call.opens_at) <= now)  # a call is public once it opens
    if f.fund:
        stmt = stmt.where(Fund.code == f.fund)
    if f.year:  # the year it opened, in Vietnam
        start, end = year_bounds(f.year)
        stmt = stmt.where(col(Call.opens_at) >= start, col(Call.opens_at) < end)
    if f.status == "open":
        stmt = stmt.where(col(Call.closes_at) > now)
    elif f.status == "closed":
        stmt = stmt.where(col(Call.closes_at) <= now)
    if f.area:
        stmt = stmt.where(
            or_(
                col(Call.open_to_all_areas),
                col(Call.id).in_(select(CallArea.call_id).where(CallArea.area_code == f.area)),
            )
        )
    return stmt


def call_page(session: Session, f: Filters, now: datetime) -> tuple[list[dict], int]:
    """Open and past calls (newest opening first), filtered, one page, and the total."""
    stmt = _call_filters(select(Call, Fund).join(Fund, col(Fund.id) == Call.fund_id), f, now)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(
        stmt.order_by(col(Call.opens_at).desc(), col(Call.id).desc())
        .offset((f.page - 1) * f.per_page)
        .limit(f.per_page)
    ).all()
    return [call_view(session, c, fund, now) for c, fund in rows], total


def public_call(session: Session, call_id: int, now: datetime) -> dict | None:
    row = session.exec(
        select(Call, Fund)
        .join(Fund, col(Fund.id) == Call.fund_id)
        .where(Call.id == call_id, col(Call.opens_at) <= now)
    ).first()
    return call_view(session, row[0], row[1], now) if row else None


def call_view(session: Session, call: Call, fund: Fund, now: datetime) -> dict:
    """A call as the public sees it: its rules, the documents a proposal needs, its timeline
    and how many projects it funded (never its proposals)."""
    areas = session.exec(
        select(CallArea.area_code)
        .where(CallArea.call_id == call.id)
        .order_by(col(CallArea.area_code))
    ).all()
    funded = session.exec(
        select(func.count(), func.min(Award.start_date))
        .select_from(Award)
        .join(Proposal, col(Proposal.id) == Award.proposal_id)
        .where(Proposal.call_id == call.id)
    ).one()
    settings = call.rule_settings()
    return {
        "id": call.id,
        "title": call.title,
        "fund": {"code": fund.code, "name": fund.name},
        "description": call.description,
        "phase": rules.call_phase(call.opens_at, call.closes_at, now),
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "ceiling_vnd": call.ceiling_vnd,
        "budget_vnd": call.budget_vnd,
        "areas": [] if call.open_to_all_areas else list(areas),
        "rules": {k: v for k, v in settings.items() if k != "required_attachments"},
        "documents": sorted(settings["required_attachments"]),
        "funded_projects": funded[0],
        "first_project_start": funded[1],
    }


def call_project_ids(session: Session, call_id: int, limit: int = 200) -> list[int]:
    """The public records of the projects a call funded (newest first)."""
    return list(
        session.exec(
            joined_records(select(PublicProject.id))
            .where(Proposal.call_id == call_id)
            .order_by(col(PublicProject.id).desc())
            .limit(limit)
        ).all()
    )
