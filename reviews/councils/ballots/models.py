"""Votes: the register of who voted, open votes, and secret-ballot tallies.

A secret ballot is never stored as a row: casting one adds the member to `vote_cast` (who
voted, with no time and no choice) and adds one to the tally of the chosen answer
(`ballot_tally`, a counter per item and choice, with no time either). Nothing in the
database, the audit log or the application logs links a member to a choice; see
docs/councils.md for what this does and does not protect against.
"""

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel


class VoteCast(SQLModel, table=True):
    """That a member voted on an item (open or secret); for open votes see OpenVote."""

    __tablename__ = "vote_cast"
    __table_args__ = (UniqueConstraint("item_id", "seat_id"),)

    id: int = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    seat_id: int = Field(foreign_key="council_seat.id", index=True)


class OpenVote(SQLModel, table=True):
    """An open vote (show of hands): who voted what."""

    __tablename__ = "open_vote"
    __table_args__ = (UniqueConstraint("item_id", "seat_id"),)

    id: int = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    seat_id: int = Field(foreign_key="council_seat.id")
    choice: str = Field(max_length=24)


class BallotTally(SQLModel, table=True):
    """The count of secret ballots for one choice on one item."""

    __tablename__ = "ballot_tally"
    __table_args__ = (
        UniqueConstraint("item_id", "choice"),
        CheckConstraint("votes >= 0", name="ck_ballot_tally_votes"),
    )

    id: int = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="meeting_item.id", index=True)
    choice: str = Field(max_length=24)
    votes: int = Field(default=0)
