"""Funds and calls, run by fund managers."""

from datetime import datetime

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.accounts.permissions import is_manager
from funds.calls.managers import link_manager
from funds.calls.models import Call, CallArea, Fund, stored_setting
from funds.calls.permissions import can_create_fund, can_manage_call, manages_fund
from funds.calls.rules import (
    CALL_SETTINGS,
    SETTING_NAMES,
    CallRules,
    setting_violations,
    stage_violations,
)
from funds.clock import to_utc
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.rules import Violation, check_amount
from funds.taxonomy.models import StrategicTechnology


def get_call_for_manager(session: Session, *, call_id: int, actor: User) -> Call:
    """The call if the actor manages its fund; otherwise NotFound (other funds stay unseen)."""
    call = session.get(Call, call_id)
    if call is None or not can_manage_call(call, actor):
        raise NotFound(N_("No such call."))
    return call


def create_fund(
    session: Session, *, actor: User, code: str, name: str, description: str = ""
) -> Fund:
    """A manager (who then manages it) or an administrator creates a fund."""
    if not can_create_fund(actor):
        raise NotAllowed(N_("Only fund managers can do this."))
    code = code.strip().upper()
    if session.exec(select(Fund).where(Fund.code == code)).first():
        raise RuleViolation(N_("A fund with code %(code)s already exists."), code=code)
    fund = Fund(code=code, name=name.strip(), description=description.strip())
    session.add(fund)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="fund",
        object_id=fund.id,
        action="create",
        to_state="active",
    )
    if is_manager(actor):
        link_manager(session, fund=fund, user=actor, actor=actor, reason="creator")
    return fund


def call_violations(
    *, opens_at: datetime, closes_at: datetime, ceiling_vnd: int, budget_vnd: int
) -> list[Violation]:
    """Shape rules of a call: a window that ends after it starts, positive sums."""
    found = check_amount(ceiling_vnd, field_name="ceiling_vnd")
    found += check_amount(budget_vnd, field_name="budget_vnd")
    if closes_at <= opens_at:
        found.append(Violation("closes_at", N_("The call must close after it opens.")))
    if not found and ceiling_vnd <= 0:
        found.append(Violation("ceiling_vnd", N_("The ceiling must be above zero.")))
    if not found and budget_vnd < ceiling_vnd:
        found.append(Violation("budget_vnd", N_("The call budget cannot be below the ceiling.")))
    return found


def _check_areas(session: Session, codes: list[str]) -> None:
    known = set(session.exec(select(StrategicTechnology.code)).all())
    unknown = sorted(set(codes) - known)
    if unknown:
        raise RuleViolation(N_("Unknown strategic area: %(codes)s."), codes=", ".join(unknown))


def create_call(
    session: Session,
    *,
    actor: User,
    fund_id: int,
    title: str,
    description: str = "",
    opens_at: datetime,
    closes_at: datetime,
    ceiling_vnd: int,
    budget_vnd: int,
    area_codes: list[str] | None = None,
    full_closes_at: datetime | None = None,
    **settings,
) -> Call:
    """A manager of the fund opens a call in it; no area codes means open to all areas."""
    fund = session.get(Fund, fund_id)
    if fund is None or not manages_fund(actor, fund):
        raise NotFound(N_("No such fund."))
    violations = call_violations(
        opens_at=opens_at, closes_at=closes_at, ceiling_vnd=ceiling_vnd, budget_vnd=budget_vnd
    )
    violations += setting_violations(settings)
    two_stage = bool(settings.get("two_stage"))
    violations += stage_violations(
        two_stage=two_stage, closes_at=closes_at, full_closes_at=full_closes_at
    )
    if violations:
        raise RuleViolation(violations[0].message, violations, **violations[0].params)
    area_codes = sorted(set(area_codes or []))
    _check_areas(session, area_codes)
    call = Call(
        fund_id=fund_id,
        title=title.strip(),
        description=description.strip(),
        opens_at=to_utc(opens_at),
        closes_at=to_utc(closes_at),
        ceiling_vnd=ceiling_vnd,
        budget_vnd=budget_vnd,
        open_to_all_areas=not area_codes,
        full_closes_at=to_utc(full_closes_at) if two_stage and full_closes_at else None,
        **_settings(settings),
    )
    session.add(call)
    session.flush()
    for code in area_codes:
        session.add(CallArea(call_id=call.id, area_code=code))
    audit.record(
        session,
        actor_id=actor.id,
        object_type="call",
        object_id=call.id,
        action="create",
        to_state="scheduled",
        detail="two stages" if call.two_stage else "",
    )
    session.flush()
    return call


def _settings(given: dict) -> dict:
    """The call's settings (funds.calls.rules.CALL_SETTINGS) as stored; unknown keys refused."""
    unknown = set(given) - set(SETTING_NAMES)
    if unknown:
        raise TypeError(f"unknown call settings: {sorted(unknown)}")
    return {
        s.name: stored_setting(s, given[s.name])
        for s in CALL_SETTINGS
        if given.get(s.name) is not None
    }


def call_rules(session: Session, call: Call) -> CallRules:
    """The call's rules as plain values for the pure rule functions."""
    areas = session.exec(select(CallArea.area_code).where(CallArea.call_id == call.id)).all()
    return CallRules(
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        ceiling_vnd=call.ceiling_vnd,
        open_to_all_areas=call.open_to_all_areas,
        eligible_areas=frozenset(areas),
        full_closes_at=call.full_closes_at,
        **call.rule_settings(),
    )
