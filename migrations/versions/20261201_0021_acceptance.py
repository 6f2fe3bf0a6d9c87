"""acceptance: the host organisation's self-evaluation of a project (rating and evidence),
the first step of acceptance before the acceptance council

Revision ID: 0021_acceptance
Revises: 0020_councils
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_acceptance"
down_revision: str | Sequence[str] | None = "0020_councils"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "self_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=12), nullable=False),
        sa.Column("evidence", sa.String(length=10000), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating IN ('excellent', 'pass', 'fail')", name="ck_self_evaluation_rating"
        ),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("award_id"),
    )


def downgrade() -> None:
    op.drop_table("self_evaluation")
