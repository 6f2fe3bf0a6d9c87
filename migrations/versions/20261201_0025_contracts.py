"""appraisal and contracts

The appraisal of a funded proposal (its appraisers, and its work plan and state budget line
by line: submitted, proposed with the reason, the PI's answer, approved) and the contracts:
the funds' template versions, the per-fund number sequence, each contract with its terms
(products with their quality indicators, the tranche of each approved work package), its
generated documents (PDF and DOCX with their SHA-256) and the three parties' signatures.
No data is moved: awards made before keep their typed contract numbers.

Revision ID: 0025_contracts
Revises: 0024_money
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_contracts"
down_revision: str | Sequence[str] | None = "0024_money"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_sequence",
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number >= 0", name="ck_contract_sequence_last"),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.PrimaryKeyConstraint("fund_id", "year"),
    )
    op.create_table(
        "contract_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name="ck_contract_template_version"),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id", "version"),
    )
    with op.batch_alter_table("contract_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_template_fund_id"), ["fund_id"], unique=False)

    op.create_table(
        "appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("conclusion", sa.String(length=5000), nullable=False),
        sa.CheckConstraint(
            "status IN ('in_progress', 'with_pi', 'answered', 'approved')",
            name="ck_appraisal_status",
        ),
        sa.CheckConstraint("round >= 1", name="ck_appraisal_round"),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id"),
    )
    op.create_table(
        "appraisal_appraiser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("appointed_by", sa.Integer(), nullable=False),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointed_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("appraisal_id", "user_id"),
    )
    with op.batch_alter_table("appraisal_appraiser", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_appraiser_appraisal_id"), ["appraisal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_appraisal_appraiser_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "appraisal_budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("submitted_vnd", sa.BigInteger(), nullable=False),
        sa.Column("proposed_vnd", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("response", sa.String(length=10), nullable=True),
        sa.Column("answer", sa.String(length=2000), nullable=False),
        sa.Column("keep_submitted", sa.Boolean(), nullable=False),
        sa.Column("approved_vnd", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "response IS NULL OR response IN ('accepted', 'answered')",
            name="ck_appraisal_budget_response",
        ),
        sa.CheckConstraint(
            "submitted_vnd >= 0 AND (proposed_vnd IS NULL OR proposed_vnd >= 0) "
            "AND (approved_vnd IS NULL OR approved_vnd >= 0)",
            name="ck_appraisal_budget_amounts",
        ),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("appraisal_id", "category", "fiscal_year"),
    )
    with op.batch_alter_table("appraisal_budget_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_budget_line_appraisal_id"), ["appraisal_id"], unique=False
        )

    op.create_table(
        "appraisal_work_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("task", sa.String(length=2000), nullable=False),
        sa.Column("due_month", sa.Integer(), nullable=False),
        sa.Column("deliverable", sa.String(length=1000), nullable=False),
        sa.Column("proposed_owner", sa.String(length=200), nullable=True),
        sa.Column("proposed_task", sa.String(length=2000), nullable=True),
        sa.Column("proposed_due_month", sa.Integer(), nullable=True),
        sa.Column("proposed_deliverable", sa.String(length=1000), nullable=True),
        sa.Column("proposed_removed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("response", sa.String(length=10), nullable=True),
        sa.Column("answer", sa.String(length=2000), nullable=False),
        sa.Column("keep_submitted", sa.Boolean(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "response IS NULL OR response IN ('accepted', 'answered')",
            name="ck_appraisal_work_response",
        ),
        sa.CheckConstraint("due_month >= 1", name="ck_appraisal_work_due"),
        sa.CheckConstraint(
            "proposed_due_month IS NULL OR proposed_due_month >= 1",
            name="ck_appraisal_work_proposed_due",
        ),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("appraisal_work_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_work_line_appraisal_id"), ["appraisal_id"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("funding_mode", sa.String(length=12), nullable=False),
        sa.Column("terms_revision", sa.Integer(), nullable=False),
        sa.Column("allocation_override", sa.String(length=2000), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("award_id", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=2000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'in_force') = (award_id IS NOT NULL AND signed_on IS NOT NULL)",
            name="ck_contract_in_force",
        ),
        sa.CheckConstraint("funding_mode IN ('itemised', 'lump_sum')", name="ck_contract_mode"),
        sa.CheckConstraint(
            "status IN ('draft', 'awaiting_signatures', 'in_force', 'cancelled')",
            name="ck_contract_status",
        ),
        sa.CheckConstraint("end_date > start_date", name="ck_contract_dates"),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["appraisal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["award_id"],
            ["award.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["fund_id"],
            ["fund.id"],
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposal.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("award_id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(
            "uq_contract_live_proposal",
            ["proposal_id"],
            unique=True,
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        )

    op.create_table(
        "contract_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("terms_revision", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("generated_by", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.ForeignKeyConstraint(
            ["generated_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["contract_template.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "version"),
    )
    with op.batch_alter_table("contract_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_document_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "contract_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=500), nullable=False),
        sa.Column("indicator", sa.String(length=1000), nullable=False),
        sa.Column("target", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contract_product", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_product_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "contract_tranche",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("work_line_id", sa.Integer(), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_vnd >= 0", name="ck_contract_tranche_amount"),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.ForeignKeyConstraint(
            ["work_line_id"],
            ["appraisal_work_line.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "work_line_id"),
    )
    with op.batch_alter_table("contract_tranche", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_tranche_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "contract_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("party IN ('fund', 'host', 'pi')", name="ck_contract_signature_party"),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["contract_document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "party"),
    )
    with op.batch_alter_table("contract_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_signature_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_signature_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_signature_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("contract_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_signature_user_id"))
        batch_op.drop_index(batch_op.f("ix_contract_signature_document_id"))
        batch_op.drop_index(batch_op.f("ix_contract_signature_contract_id"))

    op.drop_table("contract_signature")
    with op.batch_alter_table("contract_tranche", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_tranche_contract_id"))

    op.drop_table("contract_tranche")
    with op.batch_alter_table("contract_product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_product_contract_id"))

    op.drop_table("contract_product")
    with op.batch_alter_table("contract_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_document_contract_id"))

    op.drop_table("contract_document")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_contract_live_proposal",
            sqlite_where=sa.text("status <> 'cancelled'"),
            postgresql_where=sa.text("status <> 'cancelled'"),
        )
        batch_op.drop_index(batch_op.f("ix_contract_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_contract_fund_id"))

    op.drop_table("contract")
    with op.batch_alter_table("appraisal_work_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_work_line_appraisal_id"))

    op.drop_table("appraisal_work_line")
    with op.batch_alter_table("appraisal_budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_budget_line_appraisal_id"))

    op.drop_table("appraisal_budget_line")
    with op.batch_alter_table("appraisal_appraiser", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_appraiser_user_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_appraiser_appraisal_id"))

    op.drop_table("appraisal_appraiser")
    op.drop_table("appraisal")
    with op.batch_alter_table("contract_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_template_fund_id"))

    op.drop_table("contract_template")
    op.drop_table("contract_sequence")
