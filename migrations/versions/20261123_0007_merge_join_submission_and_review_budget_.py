"""join submission and review/budget/projects branches

Revision ID: 0007_merge
Revises: 0003_submission, 0006_projects
Create Date: 2026-11-23 06:08:12.594373
"""

from collections.abc import Sequence

revision: str = "0007_merge"
down_revision: str | Sequence[str] | None = ("0003_submission", "0006_projects")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
