"""decision letters: the fund's letter templates, the yearly number sequence, issued letters

Revision ID: 0029_decision_letters
Revises: 0028_score_anchors
Create Date: 2026-12-01 20:00:00

A fund keeps versions of its decision letter (letterhead, text with ${placeholders},
signature block); a letter issued for a decision keeps its number from the fund's yearly
sequence, the amount, the filled text and its SHA-256.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029_decision_letters"
down_revision: str | Sequence[str] | None = "0028_score_anchors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSTANT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "letter_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_not_funded", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_letter_template_version"),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id", "version"),
    )
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.create_index("ix_letter_template_fund_id", ["fund_id"], unique=False)
    op.create_table(
        "letter_sequence",
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number >= 0", name="ck_letter_sequence_last"),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("fund_id", "year"),
    )
    op.create_table(
        "decision_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("fund_name", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        sa.Column("issued_at", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"]),
        sa.ForeignKeyConstraint(["issued_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id"),
        sa.UniqueConstraint("number"),
    )


def downgrade() -> None:
    op.drop_table("decision_letter")
    op.drop_table("letter_sequence")
    with op.batch_alter_table("letter_template", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_template_fund_id")
    op.drop_table("letter_template")
