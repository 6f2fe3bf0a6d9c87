"""progress reports per reporting period

Revision ID: 0018_report_periods
Revises: 0017_indicators
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

revision: str = "0018_report_periods"
down_revision: str | Sequence[str] | None = "0017_indicators"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
