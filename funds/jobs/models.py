"""A job: one piece of long work, its state, progress and result (the queue only runs it)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Job(SQLModel, table=True):
    """State in the database, so a restarted web process shows the same job and a worker
    claims it once (one conditional UPDATE queued → running)."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(one_of(JobState, "state"), name="ck_job_state"),
        CheckConstraint("done_units >= 0 AND total_units >= 0", name="ck_job_units"),
    )

    id: int = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    state: str = Field(default=JobState.QUEUED, max_length=10, index=True)
    stage: str = Field(default="", max_length=80)  # a msgid, translated on the page
    done_units: int = Field(default=0)
    total_units: int = Field(default=0)  # 0: not known yet
    params: str = Field(default="{}", sa_type=Text)  # JSON: what the work needs
    result: str = Field(default="{}", sa_type=Text)  # JSON: what it produced or refused
    error: str = Field(default="", max_length=2000)  # a msgid (with error_params)
    error_params: str = Field(default="{}", sa_type=Text)
    cancel_requested: bool = Field(default=False)
    created_by: int | None = Field(default=None, foreign_key="user.id", index=True)
    fund_id: int | None = Field(default=None, foreign_key="fund.id", index=True)
    created_at: datetime = instant_field(now=True)
    stage_started_at: datetime | None = instant_field(nullable=True)
    started_at: datetime | None = instant_field(nullable=True)
    heartbeat_at: datetime | None = instant_field(nullable=True)  # the worker's last report
    finished_at: datetime | None = instant_field(nullable=True)
