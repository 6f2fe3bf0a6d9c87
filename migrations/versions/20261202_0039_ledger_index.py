"""ledger index: one composite index (fiscal_year, fund_id, area_code) for the three
single-column ones

Revision ID: 0039_ledger_index
Revises: 0038_ledger_bulk
Create Date: 2026-12-02 06:00:00

Every query of the ledger's lines by something other than the unique key names a fiscal year
(the drill-down behind a compliance figure, funds.compliance.figures.lines_behind) and may add
a fund and an area: one index on (fiscal_year, fund_id, area_code) answers them all, where
three indexes answered a column each. A large import re-creates the ledger's indexes (issue
#17): one composite index is built in about half the time of the three. Deleting a fund or a
strategic technology area (the portal never does; areas are made inactive) would now scan the
ledger for its lines instead of reading an index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039_ledger_index"
down_revision: str | Sequence[str] | None = "0038_ledger_bulk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SINGLE = ("fund_id", "area_code", "fiscal_year")


def upgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        for column in SINGLE:
            batch_op.drop_index(f"ix_portfolio_line_{column}")
        batch_op.create_index(
            "ix_portfolio_line_year_fund_area", ["fiscal_year", "fund_id", "area_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        batch_op.drop_index("ix_portfolio_line_year_fund_area")
        for column in SINGLE:
            batch_op.create_index(f"ix_portfolio_line_{column}", [column], unique=False)
