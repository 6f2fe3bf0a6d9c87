"""rebuttal and lottery: the applicant's response to the reviews, and the lottery at the line

Revision ID: 0035_rebuttal_lottery
Revises: 0032_jobs
Create Date: 2026-12-01 23:00:00

Three call settings (funds.calls.rules: rebuttal_days, rebuttal_max_chars, lottery_at_line);
a proposal's response window and answer (reviews.rebuttal); a call's lottery at the funding
line with its seed commitment, group and draw (reviews.consolidation.lottery).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_rebuttal_lottery"
down_revision: str | Sequence[str] | None = "0032_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rebuttal_days", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("rebuttal_max_chars", sa.Integer(), server_default="3000", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lottery_at_line", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "rebuttal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("opens_at", INSTANT, nullable=False),
        sa.Column("closes_at", INSTANT, nullable=False),
        sa.Column("max_chars", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", INSTANT, nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("closes_at > opens_at", name="ck_rebuttal_window"),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (author_id IS NULL)", name="ck_rebuttal_submitted"
        ),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["opened_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rebuttal", schema=None) as batch_op:
        batch_op.create_index("ix_rebuttal_proposal_id", ["proposal_id"], unique=True)
    op.create_table(
        "lottery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("commitment", sa.String(length=64), nullable=False),
        sa.Column("committed_at", INSTANT, nullable=False),
        sa.Column("committed_by", sa.Integer(), nullable=False),
        sa.Column("group_ids", sa.Text(), nullable=False),
        sa.Column("requested", sa.Text(), nullable=False),
        sa.Column("line_bp", sa.String(length=60), nullable=False),
        sa.Column("remainder_vnd", sa.BigInteger(), nullable=False),
        sa.Column("drawn_at", INSTANT, nullable=True),
        sa.Column("drawn_by", sa.Integer(), nullable=True),
        sa.Column("order_ids", sa.Text(), nullable=False),
        sa.Column("funded_ids", sa.Text(), nullable=False),
        sa.CheckConstraint("remainder_vnd >= 0", name="ck_lottery_remainder"),
        sa.CheckConstraint(
            "drawn_at IS NULL OR drawn_at >= committed_at", name="ck_lottery_drawn_after"
        ),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"]),
        sa.ForeignKeyConstraint(["committed_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["drawn_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lottery", schema=None) as batch_op:
        batch_op.create_index("ix_lottery_call_id", ["call_id"], unique=True)


def downgrade() -> None:
    op.drop_table("lottery")
    op.drop_table("rebuttal")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("lottery_at_line")
        batch_op.drop_column("rebuttal_max_chars")
        batch_op.drop_column("rebuttal_days")
