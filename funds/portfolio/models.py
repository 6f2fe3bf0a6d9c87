"""The portfolio ledger: every project's money by fiscal year, basis and source.

Awards write their committed and disbursed amounts here; imports of historical or external
data write here too. Compliance rules read the running totals in `portfolio_total`, which
every writer keeps in step (record_portfolio_line by delta, imports by a rebuild).
One row per (project, year, basis, source).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from funds.types import instant_field, money_field


class Basis(StrEnum):
    PLANNED = "planned"  # appropriated or earmarked
    COMMITTED = "committed"  # awarded
    DISBURSED = "disbursed"  # paid


class Source(StrEnum):
    STATE = "state"
    NONSTATE = "nonstate"  # enterprise counterpart, private, foreign


class PortfolioLine(SQLModel, table=True):
    __tablename__ = "portfolio_line"
    __table_args__ = (
        UniqueConstraint("project_code", "fiscal_year", "basis", "source"),
        CheckConstraint("amount_vnd >= 0", name="ck_portfolio_amount_nonnegative"),
        CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="ck_portfolio_year"),
    )

    id: int = Field(default=None, primary_key=True)
    # no index of its own: the unique key above starts with project_code (0037_import_speed)
    project_code: str = Field(max_length=60)
    title: str = Field(default="", max_length=500)
    # no index on fund or area: every query by them names a year too (0039_ledger_index)
    fund_id: int = Field(foreign_key="fund.id")
    area_code: str | None = Field(
        default=None, foreign_key="strategic_technology.code", max_length=40
    )
    fiscal_year: int = Field(index=True)
    basis: str = Field(max_length=12)
    source: str = Field(max_length=12)
    amount_vnd: int = money_field()


NO_AREA = ""  # the area key of lines without a strategic technology area


class PortfolioTotal(SQLModel, table=True):
    """Sums of the ledger by year, basis, source, fund and area: what the rules read.

    A handful of rows per year instead of hundreds of thousands of lines, so evaluating every
    rule and drawing the dashboard does not scan the ledger.
    """

    __tablename__ = "portfolio_total"
    __table_args__ = (UniqueConstraint("fiscal_year", "basis", "source", "fund_id", "area_key"),)

    id: int = Field(default=None, primary_key=True)
    fiscal_year: int = Field(index=True)
    basis: str = Field(max_length=12)
    source: str = Field(max_length=12)
    # no index on fund or area: every query by them names a year too (0039_ledger_index)
    fund_id: int = Field(foreign_key="fund.id")
    area_key: str = Field(default=NO_AREA, max_length=40)  # "" when the lines have no area
    amount_vnd: int = money_field()
    line_count: int = Field(default=0)
    updated_at: datetime = instant_field(now=True)


class PortfolioLineBulk(SQLModel, table=True):
    """The ledger's keys and indexes, saved while a bulk import has dropped them (PostgreSQL,
    docs/compliance.md "Large imports on PostgreSQL"). Written and read only by the owner's
    functions portfolio_line_bulk_begin/_end (migration 0038), never by the portal, whose
    role has no privilege on it (funds.db_roles)."""

    __tablename__ = "portfolio_line_bulk"

    txid: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    kind: str = Field(sa_column=Column(Text, nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    definition: str = Field(sa_column=Column(Text, nullable=False))
