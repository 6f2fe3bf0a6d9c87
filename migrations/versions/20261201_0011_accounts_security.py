"""accounts security: confirmed addresses, server-side sessions, hashed single-use tokens,
sign-in throttles

Revision ID: 0011_accounts_security
Revises: 0010_fund_managers
Create Date: 2026-12-01 15:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_accounts_security"
down_revision: str | Sequence[str] | None = "0010_fund_managers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_token_purpose"), ["purpose"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("authenticated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("second_factor", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("client_ip", sqlmodel.sql.sqltypes.AutoString(length=45), nullable=False),
        sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.drop_column("session_token")
    # Accounts made before addresses were confirmed keep working (documented in README).
    op.execute('UPDATE "user" SET email_verified_at = created_at')

    # Invitation secrets: only their SHA-256 is kept from now on.
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    conn = op.get_bind()
    for id_, token in conn.execute(sa.text("SELECT id, token FROM invitation")).fetchall():
        conn.execute(
            sa.text("UPDATE invitation SET token_hash = :h WHERE id = :i"),
            {"h": hashlib.sha256(token.encode("utf-8")).hexdigest(), "i": id_},
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column(
            "token_hash", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.drop_column("token")
        batch_op.create_unique_constraint("uq_invitation_token_hash", ["token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint("uq_invitation_token_hash", type_="unique")
        batch_op.add_column(
            sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    # The secrets cannot be recovered from their hashes: old invitations stop working.
    op.execute("UPDATE invitation SET token = token_hash")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column(
            "token", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch_op.drop_column("token_hash")
        batch_op.create_unique_constraint("uq_invitation_token", ["token"])
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("email_verified_at")
    op.drop_table("sign_in_throttle")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_account_token_purpose"))
    op.drop_table("account_token")
