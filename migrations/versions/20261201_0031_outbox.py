"""the transactional outbox: work promised by a commit, relayed to the task queue

Revision ID: 0031_outbox
Revises: 0030_email_bounced
Create Date: 2026-12-01 21:00:00

Each e-mail, PDF or other task to do after a commit is a row written in the same
transaction, relayed to the queue after it, retried with backoff, and kept as a dead letter
for an administrator after too many failures (docs/operations.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_outbox"
down_revision: str | Sequence[str] | None = "0030_email_bounced"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=60), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", INSTANT, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=False),
        sa.Column("done_at", INSTANT, nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'running', 'done', 'dead')", name="ck_outbox_state"
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next_attempt_at")
    op.drop_table("outbox")
