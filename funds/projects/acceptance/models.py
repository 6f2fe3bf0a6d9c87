"""The host organisation's self-evaluation of a project's results, with its own rating and
evidence. Until host organisations have accounts, the PI records it on the host's behalf."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class SelfEvaluation(SQLModel, table=True):
    """One per project; re-recorded (replaced) until the acceptance council concludes."""

    __tablename__ = "self_evaluation"
    __table_args__ = (
        CheckConstraint(
            "rating IN ('excellent', 'pass', 'fail')", name="ck_self_evaluation_rating"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", unique=True)
    rating: str = Field(max_length=12)
    evidence: str = Field(max_length=10000)  # documents and results, one per line
    host: str = Field(default="", max_length=300)  # the host organisation it speaks for
    recorded_by: int = Field(foreign_key="user.id")
    recorded_at: datetime = instant_field(now=True)
