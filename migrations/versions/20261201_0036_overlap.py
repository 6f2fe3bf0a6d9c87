"""overlap: fund limits per person, the national task register, flagged pairs, publication imports

Revision ID: 0036_overlap
Revises: 0032_jobs
Create Date: 2026-12-01 23:30:00

Issue #18 items 6 and 7: a fund's limits (proposals led at once, projects in progress, the
overlap threshold), the national S&T task register imported from CSV, the pairs the overlap
screening flags with the managers' decisions, and publication files between their preview
and their confirmation. (Written on 0032_jobs; the lead rechains it after 0033–0035.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036_overlap"
down_revision: str | Sequence[str] | None = "0034_two_stage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _limits() -> None:
    op.create_table(
        "fund_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("max_led_proposals", sa.Integer(), server_default="0", nullable=False),
        sa.Column("max_active_projects", sa.Integer(), server_default="0", nullable=False),
        sa.Column("overlap_threshold_pct", sa.Integer(), server_default="50", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_led_proposals >= 0 AND max_led_proposals <= 50",
            name="ck_fund_limits_max_led_proposals",
        ),
        sa.CheckConstraint(
            "max_active_projects >= 0 AND max_active_projects <= 50",
            name="ck_fund_limits_max_active_projects",
        ),
        sa.CheckConstraint(
            "overlap_threshold_pct >= 10 AND overlap_threshold_pct <= 100",
            name="ck_fund_limits_overlap_threshold_pct",
        ),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id"),
    )


def _register() -> None:
    op.create_table(
        "register_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("title_en", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.String(length=20000), nullable=False),
        sa.Column("keywords", sa.String(length=500), nullable=False),
        sa.Column("host", sa.String(length=300), nullable=False),
        sa.Column("pi_name", sa.String(length=200), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )


def _flags() -> None:
    op.create_table(
        "overlap_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("other_proposal_id", sa.Integer(), nullable=True),
        sa.Column("register_task_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("threshold_pct", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(other_proposal_id IS NULL) <> (register_task_id IS NULL)",
            name="ck_overlap_flag_one_other",
        ),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('distinct', 'overlapping', 'duplicate')",
            name="ck_overlap_flag_decision",
        ),
        sa.CheckConstraint("score >= 0 AND score <= 1.0001", name="ck_overlap_flag_score"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["other_proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["register_task_id"], ["register_task.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "other_proposal_id", name="uq_overlap_flag_proposal"),
        sa.UniqueConstraint("proposal_id", "register_task_id", name="uq_overlap_flag_register"),
    )
    with op.batch_alter_table("overlap_flag", schema=None) as batch_op:
        batch_op.create_index("ix_overlap_flag_proposal_id", ["proposal_id"], unique=False)
        batch_op.create_index(
            "ix_overlap_flag_other_proposal_id", ["other_proposal_id"], unique=False
        )
        batch_op.create_index(
            "ix_overlap_flag_register_task_id", ["register_task_id"], unique=False
        )


def _imports() -> None:
    op.create_table(
        "publication_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("publication_import", schema=None) as batch_op:
        batch_op.create_index("ix_publication_import_user_id", ["user_id"], unique=False)


def upgrade() -> None:
    _limits()
    _register()
    _flags()
    _imports()


def downgrade() -> None:
    with op.batch_alter_table("publication_import", schema=None) as batch_op:
        batch_op.drop_index("ix_publication_import_user_id")
    op.drop_table("publication_import")
    with op.batch_alter_table("overlap_flag", schema=None) as batch_op:
        batch_op.drop_index("ix_overlap_flag_register_task_id")
        batch_op.drop_index("ix_overlap_flag_other_proposal_id")
        batch_op.drop_index("ix_overlap_flag_proposal_id")
    op.drop_table("overlap_flag")
    op.drop_table("register_task")
    op.drop_table("fund_limits")
