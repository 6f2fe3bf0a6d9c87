"""closeout regimes as dated data (filled by the closeout work)

Revision ID: 0016_closeout
Revises: 0015_law
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

revision: str = "0016_closeout"
down_revision: str | Sequence[str] | None = "0015_law"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
