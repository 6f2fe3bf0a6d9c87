"""appraisal and contracts

Revision ID: 0025_contracts
Revises: 0024_money
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

revision: str = "0025_contracts"
down_revision: str | Sequence[str] | None = "0024_money"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
