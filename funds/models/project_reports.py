"""Progress reports, change requests and the outputs register."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class ProgressReport(SQLModel, table=True):
    __tablename__ = "progress_report"

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    due_date: date
    status: str = Field(default="submitted", max_length=12)  # submitted | accepted | returned
    progress: str = Field(default="", max_length=10000)
    spending_vnd: int | None = money_field(nullable=True)
    risks: str = Field(default="", max_length=5000)
    manager_comment: str = Field(default="", max_length=5000)
    submitted_at: datetime = instant_field(now=True)


class ChangeRequest(SQLModel, table=True):
    __tablename__ = "change_request"

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    kind: str = Field(max_length=20)  # extension | budget_move | pi_change | scope
    reason: str = Field(max_length=5000)
    extension_days: int | None = Field(default=None)
    status: str = Field(default="pending", max_length=12)  # pending | approved | refused
    requested_on: date
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = instant_field(nullable=True)


class Output(SQLModel, table=True):
    """A result entered once: publication, patent, licence, spin-off, product, revenue."""

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=1000)
    year: int
    international: bool = Field(default=False)
    reference: str = Field(default="", max_length=500)  # DOI, patent number, company reg. no.
    value_vnd: int | None = money_field(nullable=True)
    evidence: str = Field(default="", max_length=2000)
    created_at: datetime = instant_field(now=True)
