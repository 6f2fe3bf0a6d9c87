"""public: each fund's publication setting, the public record of each funded project (its
stable identifier), API tokens, and indexes for the public lists

Revision ID: 0033_public
Revises: 0032_jobs
Create Date: 2026-12-01 23:30:00

Awards made before this revision get their public identifiers here, in the order they were
made: fund code, contract year, the fund's sequence in that year (funds.publication.rules).
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033_public"
down_revision: str | Sequence[str] | None = "0036_overlap"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fold(text: str | None) -> str:  # funds.text.fold_text as of this revision
    text = unicodedata.normalize("NFC", text or "").casefold().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def upgrade() -> None:
    op.create_table(
        "publication_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("public_fields", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("fund_id"),
    )
    op.create_table(
        "public_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=80), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.String(length=2000), nullable=False),
        sa.Column("pi_text", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposal.id"]),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("award_id"),
        sa.UniqueConstraint("proposal_id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("fund_id", "year", "sequence", name="uq_public_project_sequence"),
    )
    with op.batch_alter_table("public_project") as batch_op:
        batch_op.create_index("ix_public_project_fund_order", ["fund_id", "id"], unique=False)
        batch_op.create_index("ix_public_project_year_order", ["year", "id"], unique=False)
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.create_index("ix_api_token_owner_id", ["owner_id"], unique=False)
        batch_op.create_index("ix_api_token_fund_id", ["fund_id"], unique=False)
    with op.batch_alter_table("proposal") as batch_op:
        batch_op.create_index("ix_proposal_area_code", ["area_code"], unique=False)
    with op.batch_alter_table("award") as batch_op:
        batch_op.create_index("ix_award_status", ["status"], unique=False)
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT a.id, p.id, a.contract_date, f.id, f.code, p.title, p.title_en, u.name, "
            "h.name_vi, h.name_en FROM award a JOIN proposal p ON p.id = a.proposal_id "
            "JOIN call c ON c.id = p.call_id JOIN fund f ON f.id = c.fund_id "
            'JOIN "user" u ON u.id = p.pi_id LEFT JOIN host h ON h.id = p.host_id ORDER BY a.id'
        )
    ).all()
    sequences: dict[tuple[int, int], int] = {}
    table = sa.table(
        "public_project",
        *(sa.column(n) for n in ("award_id", "proposal_id", "public_id", "fund_id", "year")),
        sa.column("sequence"),
        *(sa.column(n) for n in ("search_text", "pi_text", "created_at")),
    )
    for row in rows:
        award_id, proposal_id, contract_date, fund_id, code, title, title_en = row[:7]
        pi, host_vi, host_en = row[7:]
        year = int(str(contract_date)[:4])
        n = sequences[(fund_id, year)] = sequences.get((fund_id, year), 0) + 1
        public_id = f"{code.upper()}-{year}-{n:05d}"
        texts = (title, title_en, host_vi, host_en, public_id)
        bind.execute(
            table.insert().values(
                award_id=award_id,
                proposal_id=proposal_id,
                public_id=public_id,
                fund_id=fund_id,
                year=year,
                sequence=n,
                search_text=" ".join(_fold(t) for t in texts if t)[:2000],
                pi_text=_fold(pi)[:300],
                created_at=sa.func.current_timestamp(),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("award") as batch_op:
        batch_op.drop_index("ix_award_status")
    with op.batch_alter_table("proposal") as batch_op:
        batch_op.drop_index("ix_proposal_area_code")
    op.drop_table("api_token")
    op.drop_table("public_project")
    op.drop_table("publication_setting")
