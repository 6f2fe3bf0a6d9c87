"""Setting a fund's limits."""

from sqlmodel import Session, select

from funds import audit
from funds.accounts.models import User
from funds.calls.models import Fund
from funds.clock import utcnow
from funds.errors import N_, NotAllowed, NotFound, RuleViolation
from funds.limits.models import FundLimits
from funds.limits.permissions import can_set_fund_limits
from funds.limits.rules import FUND_SETTINGS, setting_violations


def save_fund_limits(session: Session, *, actor: User, fund_id: int, values: dict) -> FundLimits:
    """The fund's managers set its limits and overlap threshold; audited with the new values."""
    fund = session.get(Fund, fund_id)
    if fund is None:
        raise NotFound(N_("No such fund."))
    if not can_set_fund_limits(fund, actor):
        raise NotAllowed(N_("Only the fund's managers set its limits."))
    bad = setting_violations(values)
    if bad:
        raise RuleViolation(N_("Some settings are out of range."), bad)
    row = session.exec(select(FundLimits).where(FundLimits.fund_id == fund_id)).first()
    row = row or FundLimits(fund_id=fund_id)
    for s in FUND_SETTINGS:
        setattr(row, s.name, values[s.name])
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        object_type="fund_limits",
        object_id=fund_id,
        action="update",
        detail=", ".join(f"{s.name}={values[s.name]}" for s in FUND_SETTINGS),
    )
    return row
