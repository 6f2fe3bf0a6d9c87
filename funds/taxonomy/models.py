"""Strategic technology groups (Decision 1131/QĐ-TTg, Resolution 57-NQ/TW §III.3)."""

from sqlmodel import Field, SQLModel


class StrategicTechnology(SQLModel, table=True):
    __tablename__ = "strategic_technology"

    code: str = Field(primary_key=True, max_length=40)
    name_en: str = Field(max_length=300)
    name_vi: str = Field(max_length=300)
    source: str = Field(default="", max_length=200)
    active: bool = Field(default=True)
    # the list version: the instrument that puts the group on the list and the fiscal years
    # it counts as strategic (a ledger line is strategic when its year lies in the range)
    instrument_code: str | None = Field(
        default=None, foreign_key="legal_instrument.code", max_length=60
    )
    effective_from: int | None = Field(default=None)
    effective_to: int | None = Field(default=None)

    def on_list_in(self, fiscal_year: int) -> bool:
        """On the strategic list in force for that fiscal year (an inactive group never is)."""
        return (
            self.active
            and (self.effective_from is None or self.effective_from <= fiscal_year)
            and (self.effective_to is None or fiscal_year <= self.effective_to)
        )

    def name_for(self, locale: str) -> str:
        return self.name_vi if locale.startswith("vi") else self.name_en
