"""The structured sections of a proposal: work plan, budget lines, counterpart funding."""

from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import money_field


class BudgetCategory(StrEnum):
    PERSONNEL = "personnel"
    EQUIPMENT = "equipment"
    MATERIALS = "materials"
    TRAVEL = "travel"
    SERVICES = "services"
    OTHER = "other"
    INDIRECT = "indirect"


class WorkPackage(SQLModel, table=True):
    """One task of the work plan: who, what, by which month, delivering what ("five clarities")."""

    __tablename__ = "work_package"
    __table_args__ = (CheckConstraint("due_month >= 1", name="ck_wp_due_month"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    position: int = Field(default=0)
    owner: str = Field(max_length=200)
    task: str = Field(max_length=2000)
    due_month: int
    deliverable: str = Field(max_length=1000)


class BudgetLine(SQLModel, table=True):
    """The amount of one budget category in one fiscal year, in đồng."""

    __tablename__ = "budget_line"
    __table_args__ = (
        UniqueConstraint("proposal_id", "category", "fiscal_year"),
        CheckConstraint("amount_vnd >= 0", name="ck_budget_line_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    category: str = Field(max_length=20)
    fiscal_year: int
    amount_vnd: int = money_field()


class CounterpartFunding(SQLModel, table=True):
    """Money from an enterprise or another source beside the fund's."""

    __tablename__ = "counterpart_funding"
    __table_args__ = (CheckConstraint("amount_vnd >= 0", name="ck_counterpart_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    source: str = Field(max_length=300)
    amount_vnd: int = money_field()
