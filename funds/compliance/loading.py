"""Writing validated import frames set-based: upserts, COPY on PostgreSQL, executemany."""

from dataclasses import dataclass

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


KEY = ["project_code", "fiscal_year", "basis", "source"]
STAGE_COLUMNS = (
    "seq",
    "project_code",
    "title",
    "fund_code",
    "area_code",
    "fiscal_year",
    "basis",
    "source",
    "amount_vnd",
)


@dataclass(frozen=True)
class StagedPart:
    """One checked chunk of a ledger file, parked as stage rows first..last."""

    first: int
    last: int

    @property
    def rows(self) -> int:
        return self.last - self.first + 1


class PortfolioStage:
    """Ledger lines checked but not yet written, in a temporary table of this import's own
    connection and transaction: a rejected, failed or cancelled import never reaches the
    ledger, and a ledger file is read and checked once (COPY on PostgreSQL)."""

    def __init__(self, session: Session):
        self.session = session
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        self.parts: dict[int, list[StagedPart]] = {}
        self.next_seq = 1
        self._created = False
        self.keys = StageKeys()

    def raw(self):
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # a live connection has its driver's connection
        return raw

    def _create(self) -> None:
        if self.postgresql:
            types = "bigint PRIMARY KEY, " + ", ".join(
                "bigint" if c in ("fiscal_year", "amount_vnd") else "text"
                for c in STAGE_COLUMNS[1:]
            )
        else:
            types = "INTEGER PRIMARY KEY, " + ", ".join(
                "INTEGER" if c in ("fiscal_year", "amount_vnd") else "TEXT"
                for c in STAGE_COLUMNS[1:]
            )
        names = iter(types.split(", "))
        columns = ", ".join(f"{c} {next(names)}" for c in STAGE_COLUMNS)
        raw = self.raw()
        raw.execute(f"DROP TABLE IF EXISTS {STAGE}")
        raw.execute(f"CREATE TEMP TABLE {STAGE} ({columns})")
        self._created = True

    def add(self, file_key: int, frame: pd.DataFrame) -> None:
        """Park one checked chunk; the last row of a key repeated within it wins."""
        if not self._created:
            self._create()
        frame = frame.drop_duplicates(KEY, keep="last")
        if self.postgresql:
            self.keys.add(frame)
        first = self.next_seq
        self.next_seq += len(frame)
        rows = zip(
            range(first, self.next_seq),
            frame["project_code"].tolist(),
            frame["title"].tolist(),
            frame["fund_code"].tolist(),
            frame["area_code"].tolist(),
            frame["fiscal_year"].tolist(),
            frame["basis"].tolist(),
            frame["source"].tolist(),
            frame["amount_vnd"].tolist(),
            strict=True,
        )
        raw = self.raw()
        if self.postgresql:
            with raw.cursor() as cur, cur.copy(f"COPY {STAGE} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(STAGE_COLUMNS))
            raw.executemany(f"INSERT INTO {STAGE} VALUES ({marks})", rows)
        if len(frame):
            self.parts.setdefault(file_key, []).append(StagedPart(first, self.next_seq - 1))

    def ready(self) -> None:
        """Every chunk parked: PostgreSQL's planner learns the table's size."""
        if self._created and self.postgresql:
            self.raw().execute(f"ANALYZE {STAGE}")

    def close(self) -> None:
        """Drop the table (a failed transaction's rollback drops it on PostgreSQL)."""
        if not self._created:
            return
        self._created = False
        try:
            self.raw().execute(f"DROP TABLE IF EXISTS {STAGE}")
        except Exception:  # the transaction already failed: its rollback removes the table
            if not self.postgresql:
                raise


STAGE = "portfolio_import_stage"


def apply_portfolio(session: Session, stage: PortfolioStage, part: StagedPart) -> int:
    """Upsert one parked chunk of ledger lines set-based (totals are rebuilt afterwards)."""
    cols = ", ".join(PORTFOLIO_COLUMNS)
    mark = "%s" if stage.postgresql else "?"
    stage.raw().execute(
        f"INSERT INTO portfolio_line ({cols}) "
        "SELECT s.project_code, s.title, f.id, NULLIF(s.area_code, ''), s.fiscal_year, "
        f"s.basis, s.source, s.amount_vnd FROM {STAGE} s JOIN fund f ON f.code = s.fund_code "
        f"WHERE s.seq BETWEEN {mark} AND {mark}" + UPSERT_TAIL,
        (part.first, part.last),
    )
    return part.rows


# PostgreSQL's bulk-load recipe for large ledger imports (docs/compliance.md, "Large
# imports on PostgreSQL"): with the ledger locked, drop its unique key, secondary indexes and
# foreign keys, merge the stage set-based, then re-create each from its own definition read
# from the catalog, inside the import's transaction; the owner's functions of migration 0038
# do the dropping and re-creating. Set by RDFUND_IMPORT_BULK_ROWS (0: never).
settings = {"bulk_min_rows": 200_000, "lock_timeout_ms": 5_000}
LEDGER = "portfolio_line"
LATEST = "portfolio_import_latest"
_KEY_MATCH = " AND ".join(f"l.{k} = s.{k}" for k in KEY)


class StageKeys:
    """64-bit hashes of the ledger keys parked so far, to learn without a sort of the stage
    whether a key repeats across chunks (a hash collision only costs the slower, exact
    path)."""

    def __init__(self) -> None:
        self.parts: list = []

    def add(self, frame: pd.DataFrame) -> None:
        self.parts.append(pd.util.hash_pandas_object(frame[KEY], index=False).to_numpy())

    def repeated(self) -> bool:
        import numpy as np

        if not self.parts:
            return False
        hashes = np.sort(np.concatenate(self.parts))  # a sort: np.unique hashes, 10x slower
        return bool((hashes[1:] == hashes[:-1]).any())


def _begin(raw) -> bool:
    """Lock the ledger and drop its keys through the owner's portfolio_line_bulk_begin()
    (migration 0038); False when this role may not call it or a report has held the ledger
    longer than the lock timeout (then the row-by-row path, which locks nothing)."""
    import psycopg

    allowed = raw.execute(
        "SELECT CASE WHEN to_regprocedure('portfolio_line_bulk_begin()') IS NULL THEN false "
        "ELSE has_function_privilege(to_regprocedure('portfolio_line_bulk_begin()'), "
        "'EXECUTE') END"
    ).fetchone()
    if not allowed or not allowed[0]:
        return False
    raw.execute("SAVEPOINT ledger_bulk")
    try:
        raw.execute(f"SET LOCAL lock_timeout = {int(settings['lock_timeout_ms'])}")
        raw.execute("SELECT portfolio_line_bulk_begin()")
    except psycopg.errors.LockNotAvailable:
        raw.execute("ROLLBACK TO SAVEPOINT ledger_bulk")
        return False
    raw.execute("RELEASE SAVEPOINT ledger_bulk")
    raw.execute("SET LOCAL lock_timeout = DEFAULT")
    return True


def bulk_merge(stage: PortfolioStage, check) -> int | None:
    """Write every parked ledger line at once with the bulk-load recipe; None when it does
    not apply (SQLite, a small import, a role without the owner's functions of migration
    0038, the ledger busy), and the caller writes chunk by chunk. `check` is called between steps (a
    cancelled job raises there; the rollback restores every dropped index and key)."""
    staged = sum(p.rows for parts in stage.parts.values() for p in parts)
    minimum = int(settings["bulk_min_rows"])
    if not stage.postgresql or minimum <= 0 or staged < minimum:
        return None
    raw = stage.raw()
    raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
    raw.execute("SET LOCAL work_mem = '256MB'")
    if not _begin(raw):
        return None
    check()
    source = (
        "SELECT s.seq, s.project_code, s.title, f.id AS fund_id, "
        "NULLIF(s.area_code, '') AS area_code, s.fiscal_year, s.basis, s.source, "
        f"s.amount_vnd FROM {STAGE} s JOIN fund f ON f.code = s.fund_code"
    )
    if stage.keys.repeated():  # the later line of a key wins, as chunk by chunk
        raw.execute(
            f"CREATE TEMP TABLE {LATEST} ON COMMIT DROP AS SELECT DISTINCT ON "
            f"({', '.join(KEY)}) * FROM ({source}) s ORDER BY {', '.join(KEY)}, seq DESC"
        )
        source = f"SELECT * FROM {LATEST}"
    changed = ("title", "fund_id", "area_code", "amount_vnd")
    raw.execute(  # existing lines that changed; unchanged ones are left alone
        f"UPDATE {LEDGER} l SET "
        + ", ".join(f"{c} = s.{c}" for c in changed)
        + f" FROM ({source}) s WHERE {_KEY_MATCH} AND ("
        + ", ".join(f"l.{c}" for c in changed)
        + ") IS DISTINCT FROM ("
        + ", ".join(f"s.{c}" for c in changed)
        + ")"
    )
    check()
    cols = ", ".join(PORTFOLIO_COLUMNS)
    raw.execute(
        f"INSERT INTO {LEDGER} ({cols}) SELECT {', '.join('s.' + c for c in PORTFOLIO_COLUMNS)} "
        f"FROM ({source}) s WHERE NOT EXISTS (SELECT 1 FROM {LEDGER} l WHERE {_KEY_MATCH})"
    )
    check()
    raw.execute("SELECT portfolio_line_bulk_end()")  # indexes, keys, then ANALYZE
    return staged
