"""Strategic technology groups (Decision 1131/QĐ-TTg, Resolution 57-NQ/TW §III.3)."""

from sqlmodel import Field, SQLModel


class StrategicTechnology(SQLModel, table=True):
    __tablename__ = "strategic_technology"

    code: str = Field(primary_key=True, max_length=40)
    name_en: str = Field(max_length=300)
    name_vi: str = Field(max_length=300)
    source: str = Field(default="", max_length=200)
    active: bool = Field(default=True)

    def name_for(self, locale: str) -> str:
        return self.name_vi if locale.startswith("vi") else self.name_en
