"""funding line: no schema change (tie decisions are overrides, which exist); the revision
keeps the chain linear

Revision ID: 0019_funding_line
Revises: 0018_report_periods
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

revision: str = "0019_funding_line"
down_revision: str | Sequence[str] | None = "0018_report_periods"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
