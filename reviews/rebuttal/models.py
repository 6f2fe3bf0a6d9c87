"""A proposal's response window and the principal investigator's answer."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class Rebuttal(SQLModel, table=True):
    """The window opened for one proposal (from the manager's opening to `closes_at`, server
    time) and, once sent, the answer: final, read by the council next to the reviews."""

    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="ck_rebuttal_window"),
        CheckConstraint(
            "(submitted_at IS NULL) = (author_id IS NULL)", name="ck_rebuttal_submitted"
        ),
    )

    id: int = Field(default=None, primary_key=True)
    proposal_id: int = Field(foreign_key="proposal.id", unique=True, index=True)
    opens_at: datetime = instant_field()
    closes_at: datetime = instant_field()
    max_chars: int = Field()  # the call's limit when the window opened
    opened_by: int = Field(foreign_key="user.id")
    text: str = Field(default="", sa_type=Text)
    submitted_at: datetime | None = instant_field(nullable=True)
    author_id: int | None = Field(default=None, foreign_key="user.id")
