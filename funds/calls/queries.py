"""Read models: rows for pages and reports, no mutation."""

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.calls.models import Call, CallArea, Fund, FundManager
from funds.taxonomy.models import StrategicTechnology


def managed_fund_ids(session: Session, user: User) -> list[int]:
    """The funds this user manages (none unless they hold the manager role)."""
    if not is_manager(user):
        return []
    return list(
        session.exec(
            select(FundManager.fund_id)
            .where(FundManager.user_id == user.id)
            .order_by(col(FundManager.fund_id))
        ).all()
    )


def funds_with_calls(session: Session, *, fund_ids: Collection[int] | None):
    """[(fund, [calls…])] ordered by fund code and call opening: the given funds (a
    manager's, from managed_fund_ids), or every fund with None (administrators)."""
    funds_stmt, calls_stmt = (
        select(Fund).order_by(Fund.code),
        select(Call).order_by(col(Call.opens_at)),
    )
    if fund_ids is not None:
        funds_stmt = funds_stmt.where(col(Fund.id).in_(list(fund_ids)))
        calls_stmt = calls_stmt.where(col(Call.fund_id).in_(list(fund_ids)))
    funds, calls = session.exec(funds_stmt).all(), session.exec(calls_stmt).all()
    return [(f, [c for c in calls if c.fund_id == f.id]) for f in funds]


def open_calls(session: Session, now: datetime):
    """Calls accepting proposals at this instant, with their fund."""
    stmt = (
        select(Call, Fund)
        .join(Fund, col(Fund.id) == Call.fund_id)
        .where(Call.opens_at <= now, Call.closes_at > now)
        .order_by(col(Call.closes_at))
    )
    return session.exec(stmt).all()


def call_area_codes(session: Session, call_id: int) -> list[str]:
    return list(
        session.exec(
            select(CallArea.area_code)
            .where(CallArea.call_id == call_id)
            .order_by(CallArea.area_code)
        ).all()
    )


def areas(session: Session, *, active_only: bool = True):
    stmt = select(StrategicTechnology).order_by(StrategicTechnology.code)
    if active_only:
        stmt = stmt.where(StrategicTechnology.active)
    return session.exec(stmt).all()
