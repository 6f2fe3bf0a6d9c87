"""Who manages which fund: a manager acts only on the funds they are linked to."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class FundManager(SQLModel, table=True):
    """One manager of one fund (the creator at first; administrators add and remove)."""

    __tablename__ = "fund_manager"
    __table_args__ = (UniqueConstraint("fund_id", "user_id", name="uq_fund_manager_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = instant_field(now=True)
