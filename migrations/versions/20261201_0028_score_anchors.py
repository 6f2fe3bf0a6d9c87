"""anchored score scales: each level of a criterion described

Revision ID: 0028_score_anchors
Revises: 0027_notifications
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

revision: str = "0028_score_anchors"
down_revision: str | Sequence[str] | None = "0027_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
