"""An appraisal of one funded proposal: its appraisers and, line by line, the work plan and
the state budget as submitted, as proposed by the appraisal (with the reason), as answered
by the PI and as approved by the fund. The approved lines become the contract's annexes and
the award's budget (funds.projects.services.initial_budget_lines)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field, money_field


class AppraisalStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # the appraisers go through the lines
    WITH_PI = "with_pi"  # the PI accepts each proposed change or answers it
    ANSWERED = "answered"  # the PI has answered: the manager approves (or opens a round)
    APPROVED = "approved"


RESPONSES = "response IS NULL OR response IN ('accepted', 'answered')"


class Appraisal(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(one_of(AppraisalStatus), name="ck_appraisal_status"),
        CheckConstraint("round >= 1", name="ck_appraisal_round"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    status: str = Field(default=AppraisalStatus.IN_PROGRESS, max_length=12)
    round: int = Field(default=1)  # a new round when the manager sends it back
    opened_by: int = Field(foreign_key="user.id")
    opened_at: datetime = instant_field(now=True)
    sent_at: datetime | None = instant_field(nullable=True)
    answered_at: datetime | None = instant_field(nullable=True)
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = instant_field(nullable=True)
    conclusion: str = Field(default="", max_length=5000)  # the manager's words at approval


class AppraisalAppraiser(SQLModel, table=True):
    """An appraiser appointed for this proposal (conflicts checked as for reviewers)."""

    __tablename__ = "appraisal_appraiser"
    __table_args__ = (UniqueConstraint("appraisal_id", "user_id"),)

    id: int = Field(default=None, primary_key=True)
    appraisal_id: int = Field(foreign_key="appraisal.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    appointed_by: int = Field(foreign_key="user.id")
    appointed_at: datetime = instant_field(now=True)


class AppraisalWorkLine(SQLModel, table=True):
    """One work package: submitted, proposed (None: unchanged), approved."""

    __tablename__ = "appraisal_work_line"
    __table_args__ = (
        CheckConstraint("due_month >= 1", name="ck_appraisal_work_due"),
        CheckConstraint(
            "proposed_due_month IS NULL OR proposed_due_month >= 1",
            name="ck_appraisal_work_proposed_due",
        ),
        CheckConstraint(RESPONSES, name="ck_appraisal_work_response"),
    )

    id: int = Field(default=None, primary_key=True)
    appraisal_id: int = Field(foreign_key="appraisal.id", index=True)
    position: int = Field(default=0)
    owner: str = Field(max_length=200)
    task: str = Field(max_length=2000)
    due_month: int
    deliverable: str = Field(max_length=1000)
    proposed_owner: str | None = Field(default=None, max_length=200)
    proposed_task: str | None = Field(default=None, max_length=2000)
    proposed_due_month: int | None = Field(default=None)
    proposed_deliverable: str | None = Field(default=None, max_length=1000)
    proposed_removed: bool = Field(default=False)
    reason: str = Field(default="", max_length=2000)
    response: str | None = Field(default=None, max_length=10)  # accepted | answered
    answer: str = Field(default="", max_length=2000)
    keep_submitted: bool = Field(default=False)  # the manager kept the PI's line
    approved: bool = Field(default=False)  # the approved values below are set


class AppraisalBudgetLine(SQLModel, table=True):
    """One state budget line (category, fiscal year): submitted, proposed, approved."""

    __tablename__ = "appraisal_budget_line"
    __table_args__ = (
        UniqueConstraint("appraisal_id", "category", "fiscal_year"),
        CheckConstraint(
            "submitted_vnd >= 0 AND (proposed_vnd IS NULL OR proposed_vnd >= 0) "
            "AND (approved_vnd IS NULL OR approved_vnd >= 0)",
            name="ck_appraisal_budget_amounts",
        ),
        CheckConstraint(RESPONSES, name="ck_appraisal_budget_response"),
    )

    id: int = Field(default=None, primary_key=True)
    appraisal_id: int = Field(foreign_key="appraisal.id", index=True)
    category: str = Field(max_length=30)
    fiscal_year: int
    submitted_vnd: int = money_field()
    proposed_vnd: int | None = money_field(nullable=True)
    reason: str = Field(default="", max_length=2000)
    response: str | None = Field(default=None, max_length=10)
    answer: str = Field(default="", max_length=2000)
    keep_submitted: bool = Field(default=False)
    approved_vnd: int | None = money_field(nullable=True)
