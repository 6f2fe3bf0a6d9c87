"""a notification's e-mail can be bounced: refused by the recipient's server after it was sent

Revision ID: 0030_email_bounced
Revises: 0029_decision_letters
Create Date: 2026-12-01 20:30:00

A late bounce (a delivery status notification returned to the fund's bounce mailbox) marks
the e-mail `bounced`: shown to administrators with the server's diagnostic, never retried.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030_email_bounced"
down_revision: str | Sequence[str] | None = "0029_decision_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "email_state IN ('pending', 'sent', 'failed', 'skipped')"
AFTER = "email_state IN ('pending', 'sent', 'failed', 'skipped', 'bounced')"


def _check(condition: str) -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint("ck_notification_email_state", type_="check")
        batch_op.create_check_constraint("ck_notification_email_state", condition)


def upgrade() -> None:
    _check(AFTER)


def downgrade() -> None:
    op.execute("UPDATE notification SET email_state = 'failed' WHERE email_state = 'bounced'")
    _check(BEFORE)
