"""council criteria: a fund's own criteria for acceptance and mid-term rating sheets (the
built-in defaults apply until a fund sets them), and on each agenda item the criteria its
sheets are scored on, fixed by the first sheet saved

Revision ID: 0022_council_criteria
Revises: 0021_acceptance
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_council_criteria"
down_revision: str | Sequence[str] | None = "0021_acceptance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "council_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=300), nullable=False),
        sa.CheckConstraint("kind IN ('acceptance', 'midterm')", name="ck_council_criterion_kind"),
        sa.CheckConstraint("weight > 0", name="ck_council_criterion_weight"),
        sa.CheckConstraint(
            "scale_max >= 2 AND scale_max <= 100", name="ck_council_criterion_scale"
        ),
        sa.CheckConstraint(
            "threshold >= 0 AND threshold <= scale_max", name="ck_council_criterion_threshold"
        ),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("council_criterion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_council_criterion_fund_id"), ["fund_id"], unique=False)
    # Items rated before this revision have "" (not fixed): they read the fund's criteria
    # as before, and are fixed to them when the fund first changes its criteria.
    with op.batch_alter_table("meeting_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sheet_criteria", sa.Text(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_item", schema=None) as batch_op:
        batch_op.drop_column("sheet_criteria")
    with op.batch_alter_table("council_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_council_criterion_fund_id"))
    op.drop_table("council_criterion")
