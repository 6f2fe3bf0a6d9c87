"""Funds and their calls for proposals."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint, false, true
from sqlmodel import Field, Relationship, SQLModel

from funds.calls.rules import (
    ABSTRACT_MAX_CHARS,
    ATTACHMENT_MAX_MB,
    CALL_SETTINGS,
    ENDORSEMENT_DAYS,
    INDIRECT_CAP_PCT,
    LOTTERY_AT_LINE,
    MAX_DURATION_MONTHS,
    MAX_PROPOSALS_PER_PI,
    OUTLINE_MAX_CHARS,
    PDF_ONLY,
    REBUTTAL_DAYS,
    REBUTTAL_MAX_CHARS,
    REQUIRED_ATTACHMENTS,
    REQUIRES_ENDORSEMENT,
    TWO_STAGE,
    Setting,
)
from funds.types import instant_field, money_field


def stored_setting(setting: Setting, value):
    """A setting's value as its column holds it (attachment kinds: comma-separated)."""
    if isinstance(setting.default, frozenset) and not isinstance(value, str):
        return ",".join(sorted(value))
    return value


def loaded_setting(setting: Setting, stored):
    """A setting's column value as the rules take it (attachment kinds: a frozenset)."""
    if isinstance(setting.default, frozenset):
        return frozenset(k.strip() for k in stored.split(",") if k.strip())
    return stored


def _setting_field(setting: Setting, **kw):
    """The column of a call setting: its default, and the same as server default so that
    calls made before the column existed got it too (migration 0003)."""
    default = stored_setting(setting, setting.default)
    server = true() if default is True else false() if default is False else str(default)
    return Field(default=default, sa_column_kwargs={"server_default": server}, **kw)


def _within_range(setting: Setting) -> str:
    return f"{setting.name} >= {setting.minimum} AND {setting.name} <= {setting.maximum}"


class Fund(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    created_at: datetime = instant_field(now=True)

    # who manages the fund (funds.calls.permissions.manages_fund); loaded once per session
    manager_rows: list["FundManager"] = Relationship(
        sa_relationship_kwargs={"lazy": "select", "cascade": "all, delete-orphan"}
    )


class Call(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("ceiling_vnd > 0", name="ck_call_ceiling_positive"),
        CheckConstraint("budget_vnd > 0", name="ck_call_budget_positive"),
        CheckConstraint("closes_at > opens_at", name="ck_call_window"),
        CheckConstraint(_within_range(INDIRECT_CAP_PCT), name="ck_call_indirect_cap"),
        CheckConstraint(_within_range(ENDORSEMENT_DAYS), name="ck_call_endorsement_days"),
        CheckConstraint(
            "full_closes_at IS NULL OR full_closes_at > closes_at", name="ck_call_full_window"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10000)
    open_to_all_areas: bool = Field(default=True)
    opens_at: datetime = instant_field()
    closes_at: datetime = instant_field()
    ceiling_vnd: int = money_field()
    budget_vnd: int = money_field()
    created_at: datetime = instant_field(now=True)
    # the call's settings for submission, specified once in funds.calls.rules.CALL_SETTINGS
    indirect_cap_pct: int = _setting_field(INDIRECT_CAP_PCT)
    max_duration_months: int = _setting_field(MAX_DURATION_MONTHS)
    required_attachments: str = _setting_field(REQUIRED_ATTACHMENTS, max_length=300)
    abstract_max_chars: int = _setting_field(ABSTRACT_MAX_CHARS)
    max_proposals_per_pi: int = _setting_field(MAX_PROPOSALS_PER_PI)
    attachment_max_mb: int = _setting_field(ATTACHMENT_MAX_MB)
    pdf_only: bool = _setting_field(PDF_ONLY)
    requires_endorsement: bool = _setting_field(REQUIRES_ENDORSEMENT)
    endorsement_days: int = _setting_field(ENDORSEMENT_DAYS)
    rebuttal_days: int = _setting_field(REBUTTAL_DAYS)
    rebuttal_max_chars: int = _setting_field(REBUTTAL_MAX_CHARS)
    lottery_at_line: bool = _setting_field(LOTTERY_AT_LINE)
    two_stage: bool = _setting_field(TWO_STAGE)
    outline_max_chars: int = _setting_field(OUTLINE_MAX_CHARS)
    # the full proposals' deadline of a two-stage call (docs/two-stage.md); None: one stage
    full_closes_at: datetime | None = instant_field(nullable=True)

    fund: Fund = Relationship(sa_relationship_kwargs={"lazy": "select"})

    def rule_settings(self) -> dict:
        """The call's settings as the rules take them (funds.calls.rules.CallRules)."""
        return {s.name: loaded_setting(s, getattr(self, s.name)) for s in CALL_SETTINGS}


class CallArea(SQLModel, table=True):
    """A strategic technology area eligible in a call (when not open to all)."""

    __tablename__ = "call_area"
    __table_args__ = (UniqueConstraint("call_id", "area_code"),)

    id: int = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    area_code: str = Field(foreign_key="strategic_technology.code", max_length=40)


class FundManager(SQLModel, table=True):
    """One manager of one fund (the creator at first; administrators add and remove)."""

    __tablename__ = "fund_manager"
    __table_args__ = (UniqueConstraint("fund_id", "user_id", name="uq_fund_manager_pair"),)

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = instant_field(now=True)
