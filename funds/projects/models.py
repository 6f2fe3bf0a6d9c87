"""Awards: the contract, its budget by year, milestones, reports and change requests (the
payments are movements of funds/projects/money)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field, money_field


class AwardStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    CLOSED = "closed"


class MilestoneStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Award(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="ck_award_dates"),
        CheckConstraint(one_of(AwardStatus), name="ck_award_status"),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True)
    contract_number: str = Field(max_length=60, unique=True)
    contract_date: date
    start_date: date
    end_date: date
    funding_mode: str = Field(default="itemised", max_length=12)  # itemised | lump_sum
    status: str = Field(default=AwardStatus.ACTIVE, max_length=12)
    change_reason: str = Field(default="", max_length=2000)
    # Legacy note: the free-text indicators of awards made before 0016_closeout (copied into
    # award_quality_indicator rows); new awards commit structured indicators instead.
    quality_indicators: str = Field(default="", max_length=4000)
    # The closeout regime chosen from the contract date (funds.projects.regimes), with its
    # legal basis in words; a manager's transitional override records its reason.
    regime_code: str = Field(foreign_key="closeout_regime.code", max_length=20)
    regime_basis: str = Field(default="", max_length=500)
    regime_override_reason: str = Field(default="", max_length=2000)
    created_at: datetime = instant_field(now=True)


class AwardBudgetLine(SQLModel, table=True):
    __tablename__ = "award_budget_line"
    __table_args__ = (
        UniqueConstraint("award_id", "category", "fiscal_year", "source"),
        CheckConstraint("amount_vnd >= 0", name="ck_award_line_amount"),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    category: str = Field(max_length=30)
    fiscal_year: int
    source: str = Field(default="state", max_length=12)
    amount_vnd: int = money_field()


class Milestone(SQLModel, table=True):
    __table_args__ = (CheckConstraint(one_of(MilestoneStatus), name="ck_milestone_status"),)

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    owner: str = Field(max_length=200)
    task: str = Field(max_length=1000)
    due_date: date
    deliverable: str = Field(max_length=1000)
    status: str = Field(default=MilestoneStatus.OPEN, max_length=12)
    outcome: str = Field(default="", max_length=2000)


# A period has at most one report that is awaiting review or accepted (returned ones may be
# many): the database backs the reporting schedule of funds/projects/rules.py.
LIVE_REPORT = "status IN ('submitted', 'accepted')"


class ProgressReport(SQLModel, table=True):
    """A progress report on one reporting period (1..n), with that period's due date."""

    __tablename__ = "progress_report"
    __table_args__ = (
        CheckConstraint(one_of(ReportStatus), name="ck_progress_report_status"),
        CheckConstraint("period >= 1", name="ck_progress_report_period"),
        Index(
            "uq_progress_report_live_period",
            "award_id",
            "period",
            unique=True,
            sqlite_where=text(LIVE_REPORT),
            postgresql_where=text(LIVE_REPORT),
        ),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id")
    period: int
    due_date: date
    status: str = Field(default=ReportStatus.SUBMITTED, max_length=12)
    progress: str = Field(default="", max_length=10000)
    spending_vnd: int | None = money_field(nullable=True)
    risks: str = Field(default="", max_length=5000)
    manager_comment: str = Field(default="", max_length=5000)
    submitted_at: datetime = instant_field(now=True)


class ChangeRequest(SQLModel, table=True):
    __tablename__ = "change_request"
    __table_args__ = (
        CheckConstraint(one_of(ChangeStatus), name="ck_change_request_status"),
        CheckConstraint(
            "kind IN ('extension', 'budget_move', 'pi_change', 'host_change', 'scope', "
            "'suspension', 'termination')",
            name="ck_change_request_kind",
        ),
        UniqueConstraint("award_id", "annex_number"),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    # funds.projects.changes.rules.ChangeKind: extension | budget_move | pi_change |
    # host_change | scope | suspension | termination
    kind: str = Field(max_length=20)
    reason: str = Field(max_length=5000)
    extension_days: int | None = Field(default=None)
    status: str = Field(default=ChangeStatus.PENDING, max_length=12)
    requested_on: date
    due_on: date | None = Field(default=None)  # the fund decides by then (changes.decision_days)
    decided_by: int | None = Field(default=None, foreign_key="user.id")  # None: within the limit
    decided_at: datetime | None = instant_field(nullable=True)
    decision_note: str = Field(default="", max_length=5000)
    # the effect: a change of PI (the PI before keeps read access to the history)
    new_pi_id: int | None = Field(default=None, foreign_key="user.id")
    old_pi_id: int | None = Field(default=None, foreign_key="user.id")
    # a change of host: the new host organisation of the register (funds/hosts) by reference
    new_host: str = Field(default="", max_length=500)  # the new host's name, as shown
    new_host_id: int | None = Field(default=None, foreign_key="host.id")
    old_host_id: int | None = Field(default=None, foreign_key="host.id")
    # a budget move between categories of one fiscal year (state money)
    from_category: str = Field(default="", max_length=30)
    to_category: str = Field(default="", max_length=30)
    move_year: int | None = Field(default=None)
    amount_vnd: int | None = money_field(nullable=True)
    used_vnd: int | None = money_field(nullable=True)  # suspension, termination: funds used
    # an approved change amends the contract as its numbered annex
    annex_number: int | None = Field(default=None)
    annex_text: str = Field(default="", max_length=5000)


# Output kinds that exploit a granted patent (Resolution 57-NQ/TW §II: 8–10% exploited)
EXPLOITATION_KINDS = ("licence", "transfer", "spin_off", "own_production")


class Output(SQLModel, table=True):
    """A result entered once: publication, patent, licence, spin-off, product, revenue."""

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=1000)
    year: int
    international: bool = Field(default=False)
    reference: str = Field(default="", max_length=500)  # DOI, patent number, company reg. no.
    value_vnd: int | None = money_field(nullable=True)
    evidence: str = Field(default="", max_length=2000)
    # An exploitation (licence, transfer, spin-off, own production) names the granted patent
    # of the same project it exploits: Resolution 57-NQ/TW §II counts exploited patents.
    exploits_output_id: int | None = Field(default=None, foreign_key="output.id", index=True)
    created_at: datetime = instant_field(now=True)


class CouncilMember(SQLModel, table=True):
    """A member of a project's acceptance council: sees only the projects they evaluate."""

    __tablename__ = "council_member"
    __table_args__ = (UniqueConstraint("award_id", "user_id"),)

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)


ANSWERS = "('yes', 'no', 'not_assessed')"


class Closeout(SQLModel, table=True):
    __table_args__ = (
        *(
            CheckConstraint(f"{name} IS NULL OR {name} IN {ANSWERS}", name=f"ck_closeout_{name}")
            for name in (
                "procedures_followed",
                "no_fraud",
                "no_intentional_breach",
                "funds_within_purpose",
            )
        ),
        CheckConstraint(
            "failure_cause IS NULL OR failure_cause IN ('objective', 'subjective')",
            name="ck_closeout_failure_cause",
        ),
        CheckConstraint(  # a legacy refund is split exactly between host and PI
            "host_refund_vnd IS NULL OR host_refund_vnd + pi_refund_vnd = refund_vnd",
            name="ck_closeout_refund_split",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", unique=True)
    final_report: str = Field(default="", max_length=20000)
    final_report_at: datetime | None = instant_field(nullable=True)
    used_vnd: int | None = money_field(nullable=True)
    rating: str | None = Field(default=None, max_length=12)
    scores: str = Field(default="", max_length=2000)
    # The four conditions of Law 93/2025/QH15 Art. 9: yes | no | not_assessed (None: not asked,
    # a project that passed)
    procedures_followed: str | None = Field(default=None, max_length=12)
    no_fraud: str | None = Field(default=None, max_length=12)
    no_intentional_breach: str | None = Field(default=None, max_length=12)
    funds_within_purpose: str | None = Field(default=None, max_length=12)
    failure_cause: str | None = Field(default=None, max_length=12)  # legacy: objective | subjective
    outside_purpose_vnd: int | None = money_field(nullable=True)
    outside_purpose_evidence: str = Field(default="", max_length=5000)
    risk_category: str = Field(default="", max_length=40)
    evidence: str = Field(default="", max_length=5000)  # documents, one per line
    conclusion: str = Field(default="", max_length=5000)  # the acceptance council's conclusion
    expert_opinion: str = Field(default="", max_length=5000)
    regime_code: str | None = Field(default=None, max_length=20)  # the regime it closed under
    outcome: str | None = Field(default=None, max_length=24)
    refund_vnd: int | None = money_field(nullable=True)
    host_refund_vnd: int | None = money_field(nullable=True)  # legacy: the host's part
    pi_refund_vnd: int | None = money_field(nullable=True)  # legacy: the PI's part
    savings_vnd: int | None = money_field(nullable=True)  # lump sum passed: kept by the host
    liability_case: bool = Field(default=False)  # a liability case is opened
    mark_against_future: bool = Field(default=False)
    basis: str = Field(default="", max_length=500)
    lessons_learned: str = Field(default="", max_length=10000)
    publish_negative_results: bool = Field(default=False)
    closed_at: datetime | None = instant_field(nullable=True)
