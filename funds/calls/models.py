"""Funds and their calls for proposals."""

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint, true
from sqlmodel import Field, Relationship, SQLModel

from funds.types import instant_field, money_field


class Fund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    created_at: datetime = instant_field(now=True)

    # who manages the fund (funds.permissions.manages_fund); loaded once per session
    manager_rows: list["FundManager"] = Relationship(  # noqa: F821 (funds.calls.models)
        sa_relationship_kwargs={"lazy": "select", "cascade": "all, delete-orphan"})


class Call(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("ceiling_vnd > 0", name="ck_call_ceiling_positive"),
        CheckConstraint("budget_vnd > 0", name="ck_call_budget_positive"),
        CheckConstraint("closes_at > opens_at", name="ck_call_window"),
        CheckConstraint("indirect_cap_pct >= 0 AND indirect_cap_pct <= 100",
                        name="ck_call_indirect_cap"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10000)
    open_to_all_areas: bool = Field(default=True)
    opens_at: datetime = instant_field()
    closes_at: datetime = instant_field()
    ceiling_vnd: int = money_field()
    budget_vnd: int = money_field()
    created_at: datetime = instant_field(now=True)
    # the call's settings for submission (server defaults fill calls made before them)
    indirect_cap_pct: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    max_duration_months: int = Field(default=36, sa_column_kwargs={"server_default": "36"})
    required_attachments: str = Field(default="", max_length=300,
                                      sa_column_kwargs={"server_default": ""})
    abstract_max_chars: int = Field(default=5000, sa_column_kwargs={"server_default": "5000"})
    max_proposals_per_pi: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    attachment_max_mb: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    pdf_only: bool = Field(default=True, sa_column_kwargs={"server_default": true()})

    fund: Fund = Relationship(sa_relationship_kwargs={"lazy": "select"})

    @property
    def required_attachment_kinds(self) -> list[str]:
        """Kinds of attachment a proposal must carry (comma-separated in the table)."""
        return [k.strip() for k in self.required_attachments.split(",") if k.strip()]


class CallArea(SQLModel, table=True):
    """A strategic technology area eligible in a call (when not open to all)."""

    __tablename__ = "call_area"
    __table_args__ = (UniqueConstraint("call_id", "area_code"),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    area_code: str = Field(foreign_key="strategic_technology.code", max_length=40)


class FundManager(SQLModel, table=True):
    """One manager of one fund (the creator at first; administrators add and remove)."""

    __tablename__ = "fund_manager"
    __table_args__ = (UniqueConstraint("fund_id", "user_id", name="uq_fund_manager_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = instant_field(now=True)
