"""outbox request id: each promised piece of work remembers the request that promised it

Revision ID: 0040_outbox_request_id
Revises: 0039_ledger_index
Create Date: 2026-12-02 07:00:00

The worker's log lines while it does the work (an e-mail, a PDF, a job) carry the id of the
request that promised it, as that request's own lines do (docs/operations.md, "Logs"), so one
id leads from a person's error page or a balancer's log to everything done for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040_outbox_request_id"
down_revision: str | Sequence[str] | None = "0039_ledger_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("request_id", sa.String(length=128), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("request_id")
