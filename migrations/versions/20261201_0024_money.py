"""money as a ledger of movements, settlement, liquidation; change requests with effect

Revision ID: 0024_money
Revises: 0023_hosts
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

revision: str = "0024_money"
down_revision: str | Sequence[str] | None = "0023_hosts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
