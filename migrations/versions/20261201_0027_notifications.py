"""notifications: in-app inbox, e-mail preferences, delivery failures

Revision ID: 0027_notifications
Revises: 0026_host_change
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

revision: str = "0027_notifications"
down_revision: str | Sequence[str] | None = "0026_host_change"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
