"""Awards: the contract, its budget by year, milestones and payment tranches."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class Award(SQLModel, table=True):
    __table_args__ = (CheckConstraint("end_date > start_date", name="ck_award_dates"),)

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    contract_number: str = Field(max_length=60, unique=True)
    contract_date: date
    start_date: date
    end_date: date
    funding_mode: str = Field(default="itemised", max_length=12)  # itemised | lump_sum
    status: str = Field(default="active", max_length=12)  # active | stopped | closed
    change_reason: str = Field(default="", max_length=2000)
    quality_indicators: str = Field(default="", max_length=4000)  # lump-sum acceptance
    created_at: datetime = instant_field(now=True)


class AwardBudgetLine(SQLModel, table=True):
    __tablename__ = "award_budget_line"
    __table_args__ = (UniqueConstraint("award_id", "category", "fiscal_year", "source"),
                      CheckConstraint("amount_vnd >= 0", name="ck_award_line_amount"))

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    category: str = Field(max_length=30)
    fiscal_year: int
    source: str = Field(default="state", max_length=12)
    amount_vnd: int = money_field()


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    owner: str = Field(max_length=200)
    task: str = Field(max_length=1000)
    due_date: date
    deliverable: str = Field(max_length=1000)
    status: str = Field(default="open", max_length=12)  # open | accepted
    outcome: str = Field(default="", max_length=2000)


class Tranche(SQLModel, table=True):
    __table_args__ = (CheckConstraint("amount_vnd > 0", name="ck_tranche_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    amount_vnd: int = money_field()
    status: str = Field(default="held", max_length=12)  # held | released
    released_at: datetime | None = instant_field(nullable=True)
