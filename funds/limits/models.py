"""A fund's limits (funds.limits.rules.FUND_SETTINGS): one row per fund, absent = defaults."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from funds.calls.rules import Setting
from funds.limits.rules import MAX_ACTIVE_PROJECTS, MAX_LED_PROPOSALS, OVERLAP_THRESHOLD_PCT
from funds.types import instant_field


def _field(setting: Setting):
    return Field(default=setting.default, sa_column_kwargs={"server_default": str(setting.default)})


def _within(setting: Setting) -> CheckConstraint:
    return CheckConstraint(
        f"{setting.name} >= {setting.minimum} AND {setting.name} <= {setting.maximum}",
        name=f"ck_fund_limits_{setting.name}",
    )


class FundLimits(SQLModel, table=True):
    __tablename__ = "fund_limits"
    __table_args__ = (
        _within(MAX_LED_PROPOSALS),
        _within(MAX_ACTIVE_PROJECTS),
        _within(OVERLAP_THRESHOLD_PCT),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", unique=True)
    max_led_proposals: int = _field(MAX_LED_PROPOSALS)
    max_active_projects: int = _field(MAX_ACTIVE_PROJECTS)
    overlap_threshold_pct: int = _field(OVERLAP_THRESHOLD_PCT)
    updated_at: datetime = instant_field(now=True)
