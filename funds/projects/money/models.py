"""The money of an award: every movement (planned, held, approved, paid or cancelled) and
the settlement of accounts (quyết toán) per approved budget line.

The movements are both the plan and the facts: a tranche is planned when its milestone is
added and becomes paid when it is released; migration 0024_money moved the earlier tranche
table here. A movement's amount is never negative: its kind says which way the money goes
(a refund comes back to the fund, every other payment goes to the host).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from funds.states import one_of
from funds.types import instant_field, money_field


class MovementKind(StrEnum):
    ADVANCE = "advance"  # tạm ứng, at signing
    TRANCHE = "tranche"  # tied to a milestone or a date
    FINAL_PAYMENT = "final_payment"  # after acceptance
    SETTLEMENT_ADJUSTMENT = "settlement_adjustment"  # the fund pays what settlement finds due
    REFUND = "refund"  # back to the fund, from closeout or settlement
    LIQUIDATION = "liquidation"  # thanh lý: closes the contract at a balance of zero


class MovementStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    APPROVED = "approved"
    PAID = "paid"  # for a refund: received
    CANCELLED = "cancelled"


class Payer(StrEnum):
    """Who returns a refund (the earlier rules split it between host and PI)."""

    HOST = "host"
    PI = "pi"


# An advance and a liquidation happen once per award (the database backs it).
ONCE = "kind IN ('advance', 'liquidation', 'final_payment') AND status <> 'cancelled'"


class Movement(SQLModel, table=True):
    __tablename__ = "money_movement"
    __table_args__ = (
        CheckConstraint(one_of(MovementKind, "kind"), name="ck_money_movement_kind"),
        CheckConstraint(one_of(MovementStatus), name="ck_money_movement_status"),
        CheckConstraint(
            "(kind = 'liquidation' AND amount_vnd = 0) "
            "OR (kind <> 'liquidation' AND amount_vnd > 0)",
            name="ck_money_movement_amount",
        ),
        CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="ck_money_movement_year"),
        CheckConstraint("payer IS NULL OR payer IN ('host', 'pi')", name="ck_money_movement_payer"),
        Index(
            "uq_money_movement_once",
            "award_id",
            "kind",
            unique=True,
            sqlite_where=text(ONCE),
            postgresql_where=text(ONCE),
        ),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    kind: str = Field(max_length=24)
    amount_vnd: int = money_field()
    # the year planned, then the year paid (the ledger's fiscal year: Vietnam time)
    fiscal_year: int
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", index=True)
    due_on: date | None = Field(default=None)  # a tranche tied to a date
    status: str = Field(default=MovementStatus.PLANNED, max_length=12)
    payer: str | None = Field(default=None, max_length=8)  # a refund: host | pi
    reason: str = Field(default="", max_length=2000)
    allocation_override: str = Field(default="", max_length=2000)  # why it went past the allocation
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    approved_at: datetime | None = instant_field(nullable=True)
    paid_at: datetime | None = instant_field(nullable=True)
    created_at: datetime = instant_field(now=True)


class Settlement(SQLModel, table=True):
    """The settlement of accounts (quyết toán) of an award: one per award, revisable until the
    contract is liquidated."""

    __tablename__ = "money_settlement"

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", unique=True)
    settled_by: int | None = Field(default=None, foreign_key="user.id")
    settled_at: datetime = instant_field(now=True)
    note: str = Field(default="", max_length=5000)


class SettlementLine(SQLModel, table=True):
    """What was spent on one approved budget line (category, fiscal year, source), with the
    explanation of a difference beyond the fund's tolerance."""

    __tablename__ = "money_settlement_line"
    __table_args__ = (
        UniqueConstraint("settlement_id", "category", "fiscal_year", "source"),
        CheckConstraint(
            "approved_vnd >= 0 AND spent_vnd >= 0", name="ck_money_settlement_line_amounts"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    settlement_id: int = Field(foreign_key="money_settlement.id", index=True)
    category: str = Field(max_length=30)
    fiscal_year: int
    source: str = Field(default="state", max_length=12)
    approved_vnd: int = money_field()
    spent_vnd: int = money_field()
    explanation: str = Field(default="", max_length=2000)
