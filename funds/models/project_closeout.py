"""Final report, acceptance evaluation (nghiệm thu) and closeout."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class CouncilMember(SQLModel, table=True):
    """A member of a project's acceptance council: sees only the projects they evaluate."""

    __tablename__ = "council_member"
    __table_args__ = (UniqueConstraint("award_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)


class Closeout(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", unique=True)
    final_report: str = Field(default="", max_length=20000)
    final_report_at: datetime | None = instant_field(nullable=True)
    used_vnd: int | None = money_field(nullable=True)
    rating: str | None = Field(default=None, max_length=12)
    scores: str = Field(default="", max_length=2000)
    procedures_followed: bool | None = Field(default=None)
    no_fraud: bool | None = Field(default=None)
    no_intentional_breach: bool | None = Field(default=None)
    funds_within_purpose: bool | None = Field(default=None)
    risk_category: str = Field(default="", max_length=40)
    evidence: str = Field(default="", max_length=5000)
    expert_opinion: str = Field(default="", max_length=5000)
    outcome: str | None = Field(default=None, max_length=24)
    refund_vnd: int | None = money_field(nullable=True)
    basis: str = Field(default="", max_length=500)
    lessons_learned: str = Field(default="", max_length=10000)
    publish_negative_results: bool = Field(default=False)
    closed_at: datetime | None = instant_field(nullable=True)
