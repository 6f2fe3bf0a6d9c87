"""ledger index: the ledger keeps its year index and drops those on fund and area

Revision ID: 0039_ledger_index
Revises: 0038_ledger_bulk
Create Date: 2026-12-02 06:00:00

Every query of the ledger's lines by something other than the unique key names a fiscal year
(the drill-down behind a compliance figure, funds.compliance.figures.lines_behind), and it
counts and sums all of that year's lines whatever else it filters on: the index on
fiscal_year serves it, and those on fund_id and area_code served no query. A large import
re-creates or maintains every index of the ledger (issue #17): two fewer save about 3 s of
2.9 million lines on PostgreSQL. Deleting a fund or a strategic technology area (the portal
never does; areas are made inactive) would now scan the ledger for its lines instead of
reading an index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039_ledger_index"
down_revision: str | Sequence[str] | None = "0038_ledger_bulk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = ("fund_id", "area_code")


def upgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        for column in DROPPED:
            batch_op.drop_index(f"ix_portfolio_line_{column}")


def downgrade() -> None:
    with op.batch_alter_table("portfolio_line", schema=None) as batch_op:
        for column in DROPPED:
            batch_op.create_index(f"ix_portfolio_line_{column}", [column], unique=False)
