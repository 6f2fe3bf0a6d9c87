"""two-stage calls: a pre-proposal (outline) stage, shortlisting, and the full proposal

Revision ID: 0034_two_stage
Revises: 0032_jobs
Create Date: 2026-12-01 23:00:00

A call may run in two stages (call.two_stage, its outline length limit and the full
proposals' deadline); a proposal says its stage and a full proposal names its pre-proposal
(one full proposal per pre-proposal); a pre-proposal is decided shortlisted or not
shortlisted. The states are written out as they are now (a revision never imports
application code).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_two_stage"
down_revision: str | Sequence[str] | None = "0035_rebuttal_lottery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = ("draft", "submitted", "withdrawn", "funded", "not_funded")
AFTER = (*BEFORE, "shortlisted", "not_shortlisted")


def _states(states: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("two_stage", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("outline_max_chars", sa.Integer(), server_default="3000", nullable=False)
        )
        batch_op.add_column(sa.Column("full_closes_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            "ck_call_full_window", "full_closes_at IS NULL OR full_closes_at > closes_at"
        )
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stage", sa.String(length=10), server_default="full", nullable=False)
        )
        batch_op.add_column(sa.Column("outline_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_proposal_outline_id", ["outline_id"])
        batch_op.create_foreign_key("fk_proposal_outline", "proposal", ["outline_id"], ["id"])
        batch_op.create_check_constraint("ck_proposal_stage", "stage IN ('outline', 'full')")
        batch_op.drop_constraint("ck_proposal_status", type_="check")
        batch_op.create_check_constraint("ck_proposal_status", _states(AFTER))


def downgrade() -> None:
    with op.batch_alter_table("proposal", schema=None) as batch_op:
        batch_op.drop_constraint("ck_proposal_status", type_="check")
        batch_op.create_check_constraint("ck_proposal_status", _states(BEFORE))
        batch_op.drop_constraint("ck_proposal_stage", type_="check")
        batch_op.drop_constraint("fk_proposal_outline", type_="foreignkey")
        batch_op.drop_constraint("uq_proposal_outline_id", type_="unique")
        batch_op.drop_column("outline_id")
        batch_op.drop_column("stage")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint("ck_call_full_window", type_="check")
        batch_op.drop_column("full_closes_at")
        batch_op.drop_column("outline_max_chars")
        batch_op.drop_column("two_stage")
