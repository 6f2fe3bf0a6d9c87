"""Legal instruments with history, and administrators' overrides of the legal settings."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class LegalInstrument(SQLModel, table=True):
    """A law, resolution, decree, decision or circular: what it is and when it is in force.

    `effective_to` is the last day it applies (None: still in force); `supersedes` names the
    instrument it replaces. `certainty` says how sure the shipped facts are: S read in a source,
    P partly inferred, V to verify (see docs/compliance.md)."""

    __tablename__ = "legal_instrument"
    __table_args__ = (
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name="ck_legal_instrument_range",
        ),
        CheckConstraint("certainty IN ('S', 'P', 'V')", name="ck_legal_instrument_certainty"),
    )

    code: str = Field(primary_key=True, max_length=60)
    number: str = Field(max_length=80)
    kind: str = Field(max_length=20)  # law | resolution | decree | decision | circular
    title_vi: str = Field(max_length=500)
    title_en: str = Field(max_length=500)
    issuer: str = Field(max_length=200)
    issued_on: date
    effective_from: date
    effective_to: date | None = Field(default=None)
    supersedes: str | None = Field(default=None, foreign_key="legal_instrument.code", max_length=60)
    certainty: str = Field(default="S", max_length=1)
    note: str = Field(default="", max_length=2000)
    version: int = Field(default=1)
    updated_at: datetime = instant_field(now=True)
    updated_by: int | None = Field(default=None, foreign_key="user.id")

    def title_for(self, locale: str) -> str:
        return self.title_vi if locale.startswith("vi") else self.title_en

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class LegalInstrumentVersion(SQLModel, table=True):
    """Every past and present state of an instrument, as the JSON of its fields."""

    __tablename__ = "legal_instrument_version"
    __table_args__ = (UniqueConstraint("instrument_code", "version"),)

    id: int = Field(default=None, primary_key=True)
    instrument_code: str = Field(foreign_key="legal_instrument.code", index=True, max_length=60)
    version: int
    snapshot: str = Field(max_length=8000)
    changed_at: datetime = instant_field(now=True)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    note: str = Field(default="", max_length=1000)


class LegalSetting(SQLModel, table=True):
    """An administrator's value for one of funds.legal.settings.SETTINGS (absent: the default)."""

    __tablename__ = "legal_setting"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(max_length=200)
    reason: str = Field(default="", max_length=2000)
    updated_at: datetime = instant_field(now=True)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
