"""Decision letters: the fund's template versions (letterhead, text, signature block), the
per-fund yearly number sequence, and each issued letter as it was sent."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class LetterTemplate(SQLModel, table=True):
    """One version of a fund's decision letter: the issuing body above the fund's name in the
    letterhead, the place of issue, who signs, and the text with ${placeholders}
    (funds.letters.rules). A fund without one uses the built-in Vietnamese text."""

    __tablename__ = "letter_template"
    __table_args__ = (
        UniqueConstraint("fund_id", "version"),
        CheckConstraint("version >= 1", name="ck_letter_template_version"),
    )

    id: int = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True)
    version: int
    issuer: str = Field(default="", max_length=300)  # the line agency above the fund's name
    place: str = Field(default="", max_length=100)
    signatory_name: str = Field(default="", max_length=200)
    signatory_title: str = Field(default="", max_length=200)
    body: str = Field(sa_type=Text)  # the letter of a proposal funded
    body_not_funded: str = Field(sa_type=Text)  # the letter of a proposal not funded
    note: str = Field(default="", max_length=2000)
    created_by: int = Field(foreign_key="user.id")
    created_at: datetime = instant_field(now=True)


class LetterSequence(SQLModel, table=True):
    """The last decision-letter number given by a fund in a year (QĐ-<fund>-<year>-<n>)."""

    __tablename__ = "letter_sequence"
    __table_args__ = (CheckConstraint("last_number >= 0", name="ck_letter_sequence_last"),)

    fund_id: int = Field(foreign_key="fund.id", primary_key=True)
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class DecisionLetter(SQLModel, table=True):
    """A decision's letter as issued: its number, the amount it states, the letterhead and
    text filled in (never re-rendered from a later template), and the text's SHA-256."""

    __tablename__ = "decision_letter"

    id: int = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="decision.id", unique=True)
    number: str = Field(max_length=60, unique=True)
    amount_vnd: int = money_field()
    template_version: int | None = None  # None: the built-in text
    issuer: str = Field(default="", max_length=300)
    fund_name: str = Field(max_length=300)
    place: str = Field(default="", max_length=100)
    signatory_name: str = Field(default="", max_length=200)
    signatory_title: str = Field(default="", max_length=200)
    body: str = Field(sa_type=Text)  # the text as filled in and sent
    sha256: str = Field(max_length=64)
    issued_by: int = Field(foreign_key="user.id")
    issued_at: datetime = instant_field(now=True)
