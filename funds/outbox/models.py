"""One row per piece of work promised by a committed transaction (an e-mail, a PDF)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field


class OutboxState(StrEnum):
    PENDING = "pending"  # to be handed to the queue at next_attempt_at
    SENT = "sent"  # handed to the queue; relayed again if not done by next_attempt_at
    RUNNING = "running"  # a worker holds it until next_attempt_at (then it may be retaken)
    DONE = "done"  # the work ran to its end; its arguments are erased
    DEAD = "dead"  # failed MAX_ATTEMPTS times: waits for an administrator's replay


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(one_of(OutboxState, "state"), name="ck_outbox_state"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: int = Field(default=None, primary_key=True)
    task: str = Field(max_length=60)
    args: str = Field(default="[]", sa_type=Text)  # JSON; erased once done (secrets in links)
    created_at: datetime = instant_field(now=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = instant_field(now=True)
    state: str = Field(default=OutboxState.PENDING, max_length=10)
    last_error: str = Field(default="", max_length=1000)
    done_at: datetime | None = instant_field(nullable=True)
    # the id of the request that promised the work: its worker's log lines carry it too
    request_id: str = Field(default="", max_length=128)
