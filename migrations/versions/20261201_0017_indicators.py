"""indicators (exploitations linked to patents, counterpart funds)

Revision ID: 0017_indicators
Revises: 0016_closeout
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

revision: str = "0017_indicators"
down_revision: str | Sequence[str] | None = "0016_closeout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
