"""anchored score scales: each level of a criterion described

Revision ID: 0028_score_anchors
Revises: 0027_notifications
Create Date: 2026-12-01 18:00:00

One text per level of a criterion's scale (what a 3 means), entered by the fund with the
rubric; and whether the call's review is blind (reviewers never see who applied), which
until now was always the case and stays the default.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_score_anchors"
down_revision: str | Sequence[str] | None = "0027_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "criterion_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.CheckConstraint("level >= 0", name="ck_criterion_anchor_level"),
        sa.ForeignKeyConstraint(["criterion_id"], ["criterion.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("criterion_id", "level"),
    )
    with op.batch_alter_table("criterion_anchor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_anchor_criterion_id"), ["criterion_id"], unique=False
        )
    with op.batch_alter_table("rubric", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("blind", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("rubric", schema=None) as batch_op:
        batch_op.drop_column("blind")
    with op.batch_alter_table("criterion_anchor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_anchor_criterion_id"))
    op.drop_table("criterion_anchor")
