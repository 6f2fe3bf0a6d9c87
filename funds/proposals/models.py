"""Proposals submitted to calls, and the decisions on them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, Relationship, SQLModel

from funds.calls.models import Call
from funds.calls.rules import Stage
from funds.hosts.models import Host
from funds.states import one_of
from funds.types import instant_field, money_field


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    FUNDED = "funded"
    NOT_FUNDED = "not_funded"
    SHORTLISTED = "shortlisted"  # a pre-proposal invited to the full stage (two-stage calls)
    NOT_SHORTLISTED = "not_shortlisted"


class DecisionOutcome(StrEnum):
    FUNDED = "funded"
    NOT_FUNDED = "not_funded"
    SHORTLISTED = "shortlisted"
    NOT_SHORTLISTED = "not_shortlisted"


class Proposal(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(one_of(ProposalStatus), name="ck_proposal_status"),
        CheckConstraint("requested_vnd >= 0", name="ck_proposal_requested_nonnegative"),
        CheckConstraint(
            "trl_now IS NULL OR (trl_now >= 1 AND trl_now <= 9)", name="ck_proposal_trl_now"
        ),
        CheckConstraint(
            "trl_target IS NULL OR (trl_target >= 1 AND trl_target <= 9)",
            name="ck_proposal_trl_target",
        ),
        CheckConstraint(one_of(Stage, "stage"), name="ck_proposal_stage"),
    )

    id: int = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    pi_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=300)
    abstract: str = Field(default="", max_length=20000)
    area_code: str | None = Field(
        default=None, foreign_key="strategic_technology.code", max_length=40
    )
    requested_vnd: int = money_field(default=0)
    status: str = Field(default=ProposalStatus.DRAFT, max_length=20, index=True)
    created_at: datetime = instant_field(now=True)
    updated_at: datetime = instant_field(now=True)
    submitted_at: datetime | None = instant_field(nullable=True)
    version_id: int = Field(default=1, nullable=False)
    # the summary section beyond the skeleton's fields
    title_en: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    keywords: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    trl_now: int | None = Field(default=None)
    trl_target: int | None = Field(default=None)
    duration_months: int | None = Field(default=None)
    # expected outputs
    publications_planned: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    patents_planned: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    prototypes_planned: str = Field(
        default="", max_length=2000, sa_column_kwargs={"server_default": ""}
    )
    commercialisation_plan: str = Field(
        default="", max_length=10000, sa_column_kwargs={"server_default": ""}
    )
    copied_from_id: int | None = Field(
        default=None, foreign_key="proposal.id"
    )  # fk_proposal_copied_from
    # the host organisation (funds.hosts), by reference; the PI's typed institution stays in
    # the snapshot for display and history
    host_id: int | None = Field(default=None, foreign_key="host.id", index=True)
    # two-stage calls (docs/two-stage.md): the stage, and a full proposal's pre-proposal
    stage: str = Field(
        default=Stage.FULL, max_length=10, sa_column_kwargs={"server_default": Stage.FULL}
    )
    outline_id: int | None = Field(default=None, foreign_key="proposal.id", unique=True)

    # the call (and through it the fund) for the managers' checks in funds.proposals.permissions
    call: Call = Relationship(sa_relationship_kwargs={"lazy": "select"})
    # the host (and through it its officers) for the host officers' checks
    host: Host | None = Relationship(sa_relationship_kwargs={"lazy": "select"})

    @declared_attr  # optimistic locking: a stale second writer raises StaleDataError
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version_id}  # type: ignore[attr-defined]


class Decision(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    outcome: str = Field(max_length=20)
    note: str = Field(default="", max_length=5000)
    decided_by: int = Field(foreign_key="user.id")
    decided_at: datetime = instant_field(now=True)


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

    id: int = Field(default=None, primary_key=True)
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

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    category: str = Field(max_length=20)
    fiscal_year: int
    amount_vnd: int = money_field()


class CounterpartFunding(SQLModel, table=True):
    """Money from an enterprise or another source beside the fund's."""

    __tablename__ = "counterpart_funding"
    __table_args__ = (CheckConstraint("amount_vnd >= 0", name="ck_counterpart_amount"),)

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    source: str = Field(max_length=300)
    amount_vnd: int = money_field()
    fiscal_year: int | None = Field(default=None)  # None: the project's first year


class Attachment(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    kind: str = Field(max_length=40)
    original_name: str = Field(max_length=255)
    stored_name: str = Field(max_length=100, unique=True)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    uploaded_by: int = Field(foreign_key="user.id")
    uploaded_at: datetime = instant_field(now=True)


class SubmissionStatus(StrEnum):
    CURRENT = "current"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class Submission(SQLModel, table=True):
    """One submitted version of a proposal; `snapshot` and `sha256` never change."""

    __table_args__ = (
        UniqueConstraint("proposal_id", "version_no"),
        CheckConstraint(one_of(SubmissionStatus), name="ck_submission_status"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", index=True)
    version_no: int
    receipt_no: str = Field(max_length=40, unique=True)
    snapshot: str = Field(sa_type=Text)
    sha256: str = Field(max_length=64)
    status: str = Field(default=SubmissionStatus.CURRENT, max_length=20)
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = instant_field(now=True)
    pdf_name: str | None = Field(default=None, max_length=100)
    receipt_mailed_at: datetime | None = instant_field(nullable=True)
