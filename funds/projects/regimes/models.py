"""Closeout regimes (seeded by migration 0016_closeout) and lump-sum quality indicators."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field


class CloseoutRegime(SQLModel, table=True):
    """A closeout regime and the contracts it governs, by contract date (inclusive range)."""

    __tablename__ = "closeout_regime"
    __table_args__ = (
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name="ck_closeout_regime_range",
        ),
    )

    code: str = Field(primary_key=True, max_length=20)  # legacy | res193 | law93
    instrument_code: str = Field(foreign_key="legal_instrument.code", max_length=60)
    # a second instrument the regime is read with (guiding decree, earlier circular)
    related_instrument_code: str | None = Field(
        default=None, foreign_key="legal_instrument.code", max_length=60
    )
    article: str = Field(max_length=200)
    effective_from: date
    effective_to: date | None = Field(default=None)
    description: str = Field(default="", max_length=1000)


class QualityIndicator(SQLModel, table=True):
    """A lump-sum product's quality indicator as committed in the contract, and its check at
    acceptance (met or not, with the measured value)."""

    __tablename__ = "award_quality_indicator"

    id: int = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    product: str = Field(max_length=500)
    name: str = Field(max_length=1000)
    target: str = Field(default="", max_length=100)
    unit: str = Field(default="", max_length=40)
    met: bool | None = Field(default=None)
    measured: str = Field(default="", max_length=200)
    checked_at: datetime | None = instant_field(nullable=True)
