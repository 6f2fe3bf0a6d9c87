"""a change of host names the new host organisation by reference

Revision ID: 0026_host_change
Revises: 0025_contracts
Create Date: 2026-12-01 17:50:00

Changes of host recorded before keep their name in words (new_host); a new change also
records the organisation of the register it moves to and the one it leaves.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_host_change"
down_revision: str | Sequence[str] | None = "0025_contracts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_host_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("old_host_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_change_request_new_host", "host", ["new_host_id"], ["id"])
        batch_op.create_foreign_key("fk_change_request_old_host", "host", ["old_host_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_constraint("fk_change_request_old_host", type_="foreignkey")
        batch_op.drop_constraint("fk_change_request_new_host", type_="foreignkey")
        batch_op.drop_column("old_host_id")
        batch_op.drop_column("new_host_id")
