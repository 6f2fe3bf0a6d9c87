"""import speed: drop the ledger's project_code index, which the unique key covers

Revision ID: 0037_import_speed
Revises: 0032_jobs
Create Date: 2026-12-02 00:10:00

portfolio_line's unique key (project_code, fiscal_year, basis, source) starts with
project_code, so it answers every lookup by project code; the separate index only cost each
imported ledger line one more index write (issue #17: the 2.9-million-line import).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0037_import_speed"
down_revision: str | Sequence[str] | None = "0033_public"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        batch_op.drop_index("ix_portfolio_line_project_code")


def downgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        batch_op.create_index("ix_portfolio_line_project_code", ["project_code"], unique=False)
