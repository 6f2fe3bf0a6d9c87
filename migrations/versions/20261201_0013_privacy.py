"""personal-data rights: consent history and erasures

Revision ID: 0013_privacy
Revises: 0012_mfa
Create Date: 2026-12-01 14:30:00

The consent recorded at registration (user.consent_at, consent_version) becomes the first
event of each person's consent history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_privacy"
down_revision: str | Sequence[str] | None = "0012_mfa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('given', 'withdrawn')", name="ck_consent_event_kind"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_event_user_id"), ["user_id"], unique=False)
    op.create_table(
        "personal_data_erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )
    op.execute(
        "INSERT INTO consent_event (user_id, kind, version, source, at) "
        "SELECT id, 'given', COALESCE(consent_version, '2026-01'), 'registration', consent_at "
        'FROM "user" WHERE consent_at IS NOT NULL'
    )


def downgrade() -> None:
    op.drop_table("personal_data_erasure")
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_event_user_id"))
    op.drop_table("consent_event")
