"""Writing validated import frames set-based: upserts, COPY on PostgreSQL, executemany."""

import pandas as pd
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from funds.calls.models import Fund
from funds.clock import utcnow
from funds.compliance.models import (
    BudgetEstimate,
    FiscalYear,
    FundAllocation,
    NationalStatistics,
)
from funds.types import table_of

PORTFOLIO_COLUMNS = (
    "project_code",
    "title",
    "fund_id",
    "area_code",
    "fiscal_year",
    "basis",
    "source",
    "amount_vnd",
)
UPSERT_TAIL = (
    " ON CONFLICT (project_code, fiscal_year, basis, source) DO UPDATE SET "
    "title = excluded.title, fund_id = excluded.fund_id, "
    "area_code = excluded.area_code, amount_vnd = excluded.amount_vnd"
)


def _insert(session: Session):
    name = session.get_bind().dialect.name
    return (postgresql if name == "postgresql" else sqlite).insert


def fund_ids(session: Session) -> dict[str, int]:
    return dict(session.exec(select(Fund.code, Fund.id)).all())


def apply_funds(session: Session, frame: pd.DataFrame) -> int:
    """New codes become funds; an existing code gets the imported name."""
    frame = frame.drop_duplicates("fund_code", keep="last")
    existing = {f.code: f for f in session.exec(select(Fund)).all()}
    for code, name in frame.itertuples(index=False):
        fund = existing.get(code) or Fund(code=code, name=name)
        fund.name = name
        session.add(fund)
    session.flush()
    return len(frame)


def _upsert(session: Session, table, rows: list[dict], keys: list[str]) -> None:
    if not rows:
        return
    stmt = _insert(session)(table)
    update = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
    session.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update), rows)


def apply_budget_years(session: Session, frame: pd.DataFrame) -> int:
    """Original estimates go to fiscal_year; revised estimates and final accounts to
    budget_estimate under their version."""
    frame = frame.drop_duplicates(["fiscal_year", "version"], keep="last")
    now = utcnow()
    rows = [dict(r, updated_at=now) for r in _records(frame)]
    original = [{k: v for k, v in r.items() if k != "version"} for r in rows]
    original = [r for r, full in zip(original, rows, strict=True) if full["version"] == "original"]
    later = [r for r in rows if r["version"] != "original"]
    _upsert(session, table_of(FiscalYear), original, ["fiscal_year"])
    _upsert(session, table_of(BudgetEstimate), later, ["fiscal_year", "version"])
    return len(rows)


def apply_national_statistics(session: Session, frame: pd.DataFrame) -> int:
    frame = frame.drop_duplicates("fiscal_year", keep="last")
    now = utcnow()
    rows = [dict(r, updated_at=now) for r in _records(frame)]
    _upsert(session, table_of(NationalStatistics), rows, ["fiscal_year"])
    return len(rows)


def apply_fund_allocations(session: Session, frame: pd.DataFrame) -> int:
    frame = frame.drop_duplicates(["fund_code", "fiscal_year"], keep="last")
    ids, now = fund_ids(session), utcnow()
    rows = [
        dict(
            fund_id=ids[r["fund_code"]],
            fiscal_year=r["fiscal_year"],
            amount_vnd=r["amount_vnd"],
            updated_at=now,
        )
        for r in _records(frame)
    ]
    _upsert(session, table_of(FundAllocation), rows, ["fund_id", "fiscal_year"])
    return len(rows)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values (ints, not numpy ints)."""
    return [
        {k: (int(v) if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def portfolio_rows(frame: pd.DataFrame, ids: dict[str, int]) -> list[tuple]:
    """Plain tuples in PORTFOLIO_COLUMNS order; the last row of a repeated key wins."""
    frame = frame.drop_duplicates(["project_code", "fiscal_year", "basis", "source"], keep="last")
    fund = frame["fund_code"].map(ids).astype("int64")
    area = [code or None for code in frame["area_code"].tolist()]
    columns = [
        frame["project_code"].tolist(),
        frame["title"].tolist(),
        fund.tolist(),
        area,
        frame["fiscal_year"].tolist(),
        frame["basis"].tolist(),
        frame["source"].tolist(),
        frame["amount_vnd"].tolist(),
    ]
    return list(zip(*columns, strict=True))


def apply_portfolio(session: Session, frame: pd.DataFrame, ids: dict[str, int]) -> int:
    """Upsert one chunk of ledger lines in bulk (totals are rebuilt once afterwards)."""
    rows = portfolio_rows(frame, ids)
    raw = session.connection().connection.driver_connection
    assert raw is not None  # a live connection has its driver's connection
    if session.get_bind().dialect.name == "postgresql":
        _copy_portfolio(raw, rows)
    else:
        cols = ", ".join(PORTFOLIO_COLUMNS)
        raw.executemany(
            f"INSERT INTO portfolio_line ({cols}) VALUES "
            f"({', '.join('?' * len(PORTFOLIO_COLUMNS))})" + UPSERT_TAIL,
            rows,
        )
    return len(rows)


def _copy_portfolio(raw, rows: list[tuple]) -> None:
    """COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT DO UPDATE."""
    cols = ", ".join(PORTFOLIO_COLUMNS)
    with raw.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS portfolio_import ON COMMIT DROP AS "
            f"SELECT {cols} FROM portfolio_line WITH NO DATA"
        )
        cur.execute("TRUNCATE portfolio_import")
        with cur.copy(f"COPY portfolio_import ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            f"INSERT INTO portfolio_line ({cols}) SELECT {cols} FROM portfolio_import" + UPSERT_TAIL
        )
