"""state checks: each status column holds one of its machine's states

Revision ID: 0014_state_checks
Revises: 0013_privacy
Create Date: 2026-12-01 16:00:00

The states are written out here as they were when this revision was written (a revision
never imports application code); the machines themselves live in the features' rules.py.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014_state_checks"
down_revision: str | Sequence[str] | None = "0013_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = {
    "proposal": ("draft", "submitted", "withdrawn", "funded", "not_funded"),
    "submission": ("current", "withdrawn", "superseded"),
    "review_assignment": ("assigned", "declined", "submitted"),
    "review": ("draft", "submitted"),
    "award": ("active", "stopped", "closed"),
    "milestone": ("open", "accepted"),
    "tranche": ("held", "released"),
    "progress_report": ("submitted", "accepted", "returned"),
    "change_request": ("pending", "approved", "refused"),
}


def upgrade() -> None:
    for table, states in STATES.items():
        allowed = ", ".join(f"'{state}'" for state in states)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(f"ck_{table}_status", f"status IN ({allowed})")


def downgrade() -> None:
    for table in reversed(list(STATES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"ck_{table}_status", type_="check")
