"""A call's lottery at the funding line: the commitment, the group it binds, the draw."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class Lottery(SQLModel, table=True):
    """One lottery per call. The seed is kept secret until the draw; the commitment (its
    SHA-256), the group (ascending ids), the line and the remainder are fixed and shown when
    the seed is committed; the draw adds the order and the funded, and reveals the seed."""

    __table_args__ = (
        CheckConstraint("remainder_vnd >= 0", name="ck_lottery_remainder"),
        CheckConstraint(
            "drawn_at IS NULL OR drawn_at >= committed_at", name="ck_lottery_drawn_after"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", unique=True, index=True)
    seed: str = Field(max_length=64)  # hex; secret until drawn_at
    commitment: str = Field(max_length=64)  # SHA-256 of the seed's bytes, hex
    committed_at: datetime = instant_field()
    committed_by: int = Field(foreign_key="user.id")
    group_ids: str = Field(sa_type=Text)  # "12,15,31": ascending
    requested: str = Field(sa_type=Text)  # "12:900000000,15:…": each member's request
    line_bp: str = Field(max_length=60)  # the line's score, a fraction "p/q" of basis points
    remainder_vnd: int = money_field()
    drawn_at: datetime | None = instant_field(nullable=True)
    drawn_by: int | None = Field(default=None, foreign_key="user.id")
    order_ids: str = Field(default="", sa_type=Text)
    funded_ids: str = Field(default="", sa_type=Text)

    @property
    def drawn(self) -> bool:
        return self.drawn_at is not None
