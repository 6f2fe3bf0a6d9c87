"""money as a ledger of movements, settlement, liquidation; change requests with effect

The earlier `tranche` table becomes movements of kind tranche in `money_movement`, which
holds both the plan and the facts: a held tranche whose milestone is still open is planned,
one whose milestone was accepted (its payment held by an overdue report) is held, and a
released one is paid in the fiscal year (Vietnam time) it was released. The table is then
dropped. Change requests gain their effect (new PI, host, budget move, funds used at a
stop), the fund's deadline to decide (30 days after the request for existing rows) and the
annex an approval makes.

Revision ID: 0024_money
Revises: 0023_hosts
Create Date: 2026-12-01 17:30:00
"""

from collections.abc import Sequence
from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0024_money"
down_revision: str | Sequence[str] | None = "0023_hosts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONCE = "kind IN ('advance', 'liquidation', 'final_payment') AND status <> 'cancelled'"
KINDS = "('advance', 'tranche', 'final_payment', 'settlement_adjustment', 'refund', 'liquidation')"
STATES = "('planned', 'held', 'approved', 'paid', 'cancelled')"
CHANGE_KINDS = (
    "kind IN ('extension', 'budget_move', 'pi_change', 'host_change', 'scope', "
    "'suspension', 'termination')"
)
VIETNAM = timedelta(hours=7)  # Asia/Ho_Chi_Minh has no daylight saving time

MOVEMENT = sa.table(
    "money_movement",
    sa.column("id", sa.Integer),
    sa.column("award_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("amount_vnd", sa.BigInteger),
    sa.column("fiscal_year", sa.Integer),
    sa.column("milestone_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("reason", sa.String),
    sa.column("allocation_override", sa.String),
    sa.column("paid_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
TRANCHE = sa.table(
    "tranche",
    sa.column("id", sa.Integer),
    sa.column("award_id", sa.Integer),
    sa.column("milestone_id", sa.Integer),
    sa.column("amount_vnd", sa.BigInteger),
    sa.column("status", sa.String),
    sa.column("released_at", sa.DateTime(timezone=True)),
)
MILESTONE = sa.table(
    "milestone",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("due_date", sa.Date),
)
AWARD = sa.table("award", sa.column("id", sa.Integer), sa.column("start_date", sa.Date))
CHANGE = sa.table(
    "change_request",
    sa.column("id", sa.Integer),
    sa.column("requested_on", sa.Date),
    sa.column("due_on", sa.Date),
)


def upgrade() -> None:
    _create_money_tables()
    _move_tranches()
    with op.batch_alter_table("tranche", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tranche_award_id"))
    op.drop_table("tranche")
    _extend_change_requests()


def _create_money_tables() -> None:
    op.create_table(
        "money_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payer", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("allocation_override", sa.String(length=2000), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_money_movement_kind"),
        sa.CheckConstraint(f"status IN {STATES}", name="ck_money_movement_status"),
        sa.CheckConstraint(
            "(kind = 'liquidation' AND amount_vnd = 0) "
            "OR (kind <> 'liquidation' AND amount_vnd > 0)",
            name="ck_money_movement_amount",
        ),
        sa.CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="ck_money_movement_year"),
        sa.CheckConstraint(
            "payer IS NULL OR payer IN ('host', 'pi')", name="ck_money_movement_payer"
        ),
        sa.ForeignKeyConstraint(["approved_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("money_movement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_money_movement_award_id"), ["award_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_money_movement_milestone_id"), ["milestone_id"], unique=False
        )
        batch_op.create_index(
            "uq_money_movement_once",
            ["award_id", "kind"],
            unique=True,
            sqlite_where=sa.text(ONCE),
            postgresql_where=sa.text(ONCE),
        )
    op.create_table(
        "money_settlement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("settled_by", sa.Integer(), nullable=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=5000), nullable=False),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.ForeignKeyConstraint(["settled_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("award_id"),
    )
    op.create_table(
        "money_settlement_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("settlement_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("approved_vnd", sa.BigInteger(), nullable=False),
        sa.Column("spent_vnd", sa.BigInteger(), nullable=False),
        sa.Column("explanation", sa.String(length=2000), nullable=False),
        sa.CheckConstraint(
            "approved_vnd >= 0 AND spent_vnd >= 0", name="ck_money_settlement_line_amounts"
        ),
        sa.ForeignKeyConstraint(["settlement_id"], ["money_settlement.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("settlement_id", "category", "fiscal_year", "source"),
    )
    with op.batch_alter_table("money_settlement_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_money_settlement_line_settlement_id"), ["settlement_id"], unique=False
        )


def _aware(instant):
    if instant is None:
        return None
    if isinstance(instant, str):  # SQLite hands back text
        from datetime import datetime

        instant = datetime.fromisoformat(instant)
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _move_tranches() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            TRANCHE.c.id,
            TRANCHE.c.award_id,
            TRANCHE.c.milestone_id,
            TRANCHE.c.amount_vnd,
            TRANCHE.c.status,
            TRANCHE.c.released_at,
            MILESTONE.c.status,
            MILESTONE.c.due_date,
            AWARD.c.start_date,
        )
        .select_from(
            TRANCHE.join(AWARD, AWARD.c.id == TRANCHE.c.award_id).outerjoin(
                MILESTONE, MILESTONE.c.id == TRANCHE.c.milestone_id
            )
        )
        .order_by(TRANCHE.c.id)
    ).all()
    for _id, award, milestone, amount, status, released, m_status, due, start in rows:
        paid_at = _aware(released)
        if status == "released":
            state = "paid"
            year = (paid_at + VIETNAM).year if paid_at else (due or start).year
        else:
            state = "held" if m_status == "accepted" else "planned"
            year = (due or start).year
        conn.execute(
            MOVEMENT.insert().values(
                award_id=award,
                kind="tranche",
                amount_vnd=amount,
                fiscal_year=year,
                milestone_id=milestone,
                status=state,
                reason="",
                allocation_override="",
                paid_at=paid_at,
                created_at=sa.func.current_timestamp(),
            )
        )


def _extend_change_requests() -> None:
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("decision_note", sa.String(length=5000), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("new_pi_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("old_pi_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("new_host", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("from_category", sa.String(length=30), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("to_category", sa.String(length=30), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("move_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("amount_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("used_vnd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("annex_number", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("annex_text", sa.String(length=5000), server_default="", nullable=False)
        )
        batch_op.create_foreign_key(
            "fk_change_request_new_pi_id_user", "user", ["new_pi_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_change_request_old_pi_id_user", "user", ["old_pi_id"], ["id"]
        )
        batch_op.create_check_constraint("ck_change_request_kind", CHANGE_KINDS)
        batch_op.create_unique_constraint(
            "uq_change_request_award_id_annex_number", ["award_id", "annex_number"]
        )
    conn = op.get_bind()
    for change_id, requested in conn.execute(sa.select(CHANGE.c.id, CHANGE.c.requested_on)).all():
        conn.execute(
            CHANGE.update()
            .where(CHANGE.c.id == change_id)
            .values(due_on=requested + timedelta(days=30))
        )
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        for name in ("decision_note", "new_host", "from_category", "to_category", "annex_text"):
            batch_op.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_constraint("uq_change_request_award_id_annex_number", type_="unique")
        batch_op.drop_constraint("ck_change_request_kind", type_="check")
        batch_op.drop_constraint("fk_change_request_old_pi_id_user", type_="foreignkey")
        batch_op.drop_constraint("fk_change_request_new_pi_id_user", type_="foreignkey")
        for name in (
            "annex_text",
            "annex_number",
            "used_vnd",
            "amount_vnd",
            "move_year",
            "to_category",
            "from_category",
            "new_host",
            "old_pi_id",
            "new_pi_id",
            "decision_note",
            "due_on",
        ):
            batch_op.drop_column(name)
    op.create_table(
        "tranche",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("amount_vnd", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount_vnd > 0", name="ck_tranche_amount"),
        sa.CheckConstraint("status IN ('held', 'released')", name="ck_tranche_status"),
        sa.ForeignKeyConstraint(["award_id"], ["award.id"]),
        sa.ForeignKeyConstraint(["milestone_id"], ["milestone.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tranche", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tranche_award_id"), ["award_id"], unique=False)
    conn = op.get_bind()
    # the earlier schema knew tranches only: other movements (advance, refunds, …) are lost
    for award, milestone, amount, status, paid_at in conn.execute(
        sa.select(
            MOVEMENT.c.award_id,
            MOVEMENT.c.milestone_id,
            MOVEMENT.c.amount_vnd,
            MOVEMENT.c.status,
            MOVEMENT.c.paid_at,
        )
        .where(MOVEMENT.c.kind == "tranche", MOVEMENT.c.status != "cancelled")
        .order_by(MOVEMENT.c.id)
    ).all():
        conn.execute(
            TRANCHE.insert().values(
                award_id=award,
                milestone_id=milestone,
                amount_vnd=amount,
                status="released" if status == "paid" else "held",
                released_at=_aware(paid_at),
            )
        )
    with op.batch_alter_table("money_settlement_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_money_settlement_line_settlement_id"))
    op.drop_table("money_settlement_line")
    op.drop_table("money_settlement")
    with op.batch_alter_table("money_movement", schema=None) as batch_op:
        batch_op.drop_index("uq_money_movement_once")
        batch_op.drop_index(batch_op.f("ix_money_movement_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_money_movement_award_id"))
    op.drop_table("money_movement")
