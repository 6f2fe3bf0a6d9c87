"""host organisations, officers and endorsement

Revision ID: 0023_hosts
Revises: 0022_council_criteria
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence

revision: str = "0023_hosts"
down_revision: str | Sequence[str] | None = "0022_council_criteria"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
