"""Budget data and compliance rules: fiscal years, fund allocations, rules with history.

Resolution 57-NQ/TW §III.3 sets the floors these rules check; the rules are rows so an
administrator can change a threshold or its effective period without a release.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class FiscalYear(SQLModel, table=True):
    """One fiscal year's original state budget estimate (dự toán): the rules read it under
    basis `planned`; revised estimates and final accounts are BudgetEstimate rows."""

    __tablename__ = "fiscal_year"
    __table_args__ = (
        CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="ck_fiscal_year_range"),
        CheckConstraint(
            "total_state_budget_vnd >= 0 AND stidx_budget_vnd >= 0 AND st_budget_vnd >= 0",
            name="ck_fiscal_year_nonnegative",
        ),
    )

    fiscal_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    total_state_budget_vnd: int = money_field()
    stidx_budget_vnd: int = money_field()  # S&T, innovation and digital transformation
    st_budget_vnd: int = money_field()  # the state S&T budget, within the S&T/I/DX line
    updated_at: datetime = instant_field(now=True)


ESTIMATE_VERSIONS = ("original", "revised", "final")
ESTIMATE_BASIS = {"original": "planned", "revised": "revised", "final": "final"}


class BudgetEstimate(SQLModel, table=True):
    """A later version of a year's budget figures: the revised estimate (dự toán điều chỉnh)
    or the final accounts (quyết toán). The original estimate is the FiscalYear row."""

    __tablename__ = "budget_estimate"
    __table_args__ = (
        CheckConstraint("version IN ('revised', 'final')", name="ck_budget_estimate_version"),
        CheckConstraint(
            "total_state_budget_vnd >= 0 AND stidx_budget_vnd >= 0 AND st_budget_vnd >= 0",
            name="ck_budget_estimate_nonnegative",
        ),
    )

    fiscal_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: str = Field(primary_key=True, max_length=12)
    total_state_budget_vnd: int = money_field()
    stidx_budget_vnd: int = money_field()
    st_budget_vnd: int = money_field()
    updated_at: datetime = instant_field(now=True)


class NationalStatistics(SQLModel, table=True):
    """A year's national figures the Resolution 57 targets are measured against: GDP and
    gross domestic expenditure on R&D (GERD) by source, imported from official statistics."""

    __tablename__ = "national_statistics"
    __table_args__ = (
        CheckConstraint(
            "gdp_vnd >= 0 AND gerd_state_vnd >= 0 AND gerd_nonstate_vnd >= 0",
            name="ck_national_statistics_nonnegative",
        ),
    )

    fiscal_year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    gdp_vnd: int = money_field()
    gerd_state_vnd: int = money_field()
    gerd_nonstate_vnd: int = money_field()
    source: str = Field(default="", max_length=300)
    updated_at: datetime = instant_field(now=True)


class FundAllocation(SQLModel, table=True):
    """What a fund is allocated in a fiscal year."""

    __tablename__ = "fund_allocation"
    __table_args__ = (
        UniqueConstraint("fund_id", "fiscal_year"),
        CheckConstraint("amount_vnd >= 0", name="ck_fund_allocation_nonnegative"),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    fiscal_year: int = Field(index=True)
    amount_vnd: int = money_field()
    updated_at: datetime = instant_field(now=True)


class RuleKind(StrEnum):
    FLOOR = "floor"  # a legal floor: failing it needs attention
    INDICATOR = "indicator"  # a tracked target, shown but not a floor


class ComplianceRule(SQLModel, table=True):
    """A rule as data: which metric, its threshold, when it applies, where it comes from."""

    __tablename__ = "compliance_rule"

    id: str = Field(primary_key=True, max_length=60)
    kind: str = Field(default=RuleKind.FLOOR, max_length=12)
    metric: str = Field(max_length=60)  # a key of funds.compliance.rules.METRICS
    threshold: str | None = Field(default=None, max_length=20)  # "0.15"; None: metric's own
    strict: bool = Field(default=False)  # True: value > threshold; False: value ≥ threshold
    effective_from: int | None = Field(default=None)  # first fiscal year
    effective_to: int | None = Field(default=None)  # last fiscal year
    source: str = Field(default="", max_length=500)
    instrument_code: str | None = Field(
        default=None, foreign_key="legal_instrument.code", max_length=60
    )
    article: str = Field(default="", max_length=120)
    description: str = Field(default="", max_length=1000)
    version: int = Field(default=1)
    updated_at: datetime = instant_field(now=True)
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class ComplianceRuleVersion(SQLModel, table=True):
    """Every past and present state of a rule (the history an admin's edits leave)."""

    __tablename__ = "compliance_rule_version"
    __table_args__ = (UniqueConstraint("rule_id", "version"),)

    id: int = Field(default=None, primary_key=True)
    rule_id: str = Field(foreign_key="compliance_rule.id", index=True, max_length=60)
    version: int
    threshold: str | None = Field(default=None, max_length=20)
    strict: bool = Field(default=False)
    effective_from: int | None = Field(default=None)
    effective_to: int | None = Field(default=None)
    source: str = Field(default="", max_length=500)
    instrument_code: str | None = Field(default=None, max_length=60)
    article: str = Field(default="", max_length=120)
    changed_at: datetime = instant_field(now=True)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    note: str = Field(default="", max_length=1000)


class SlateAcknowledgement(SQLModel, table=True):
    """A manager's explicit, logged acknowledgement that a slate leaves a year below a floor."""

    __tablename__ = "slate_acknowledgement"

    id: int = Field(default=None, primary_key=True)
    actor_id: int = Field(foreign_key="user.id", index=True)
    at: datetime = instant_field(now=True)
    proposal_ids: str = Field(max_length=4000)  # "3,7,12"
    years_below: str = Field(max_length=400)  # "2026,2027"
    summary: str = Field(default="", max_length=4000)  # the figures shown, as JSON
    note: str = Field(max_length=2000)


class BudgetImport(SQLModel, table=True):
    """One accepted import of budget files (rejected imports change nothing)."""

    __tablename__ = "budget_import"

    id: int = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = instant_field(now=True)
    files: str = Field(default="", max_length=2000)
    counts: str = Field(default="", max_length=1000)  # JSON {"portfolio": 123, ...}
