"""fund managers: which manager manages which fund

Revision ID: 0010_fund_managers
Revises: 0009_audit_chain
Create Date: 2026-12-01 09:00:00

Upgrading links every existing holder of the manager role to every existing fund, so a
deployment keeps working as before; administrators should then prune the links on each
fund's page (/funds/<id>) so that every manager sees only the funds they manage.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_fund_managers"
down_revision: str | Sequence[str] | None = "0009_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fund_manager",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id", "user_id", name="uq_fund_manager_pair"),
    )
    with op.batch_alter_table("fund_manager", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_manager_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_manager_user_id"), ["user_id"], unique=False)
    # Before this revision every manager managed every fund: keep that until admins prune.
    op.execute(
        "INSERT INTO fund_manager (fund_id, user_id, created_at) "
        "SELECT f.id, r.user_id, CURRENT_TIMESTAMP FROM fund f, user_role r "
        "WHERE r.role = 'manager'"
    )


def downgrade() -> None:
    with op.batch_alter_table("fund_manager", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_manager_user_id"))
        batch_op.drop_index(batch_op.f("ix_fund_manager_fund_id"))
    op.drop_table("fund_manager")
