"""Per-fund, per-year document numbers (contracts, decision letters): one row per fund and
year holds the last number given."""

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session


def next_number(session: Session, table: Table, *, fund_id: int, year: int) -> int:
    """The fund's next number of the year in `table` (columns fund_id, year, last_number).
    Race-safe: the row is created if missing (ON CONFLICT DO NOTHING) and incremented by one
    UPDATE … RETURNING, which holds the row's lock until the transaction ends (PostgreSQL)
    or the database's write lock (SQLite), so two documents never share a number."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(table)
        .values(fund_id=fund_id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["fund_id", "year"])
    )
    return session.execute(
        update(table)
        .where(table.c.fund_id == fund_id, table.c.year == year)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    ).scalar_one()
