"""Writing validated import frames set-based: upserts, COPY on PostgreSQL, executemany."""

import contextlib
import threading
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
        self.direct: DirectLoad | None = None  # checked chunks go straight to the ledger

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
        frame = self.keys.add(frame)
        if self.direct is not None:
            self.direct.copy(frame)
            return
        if not self._created:
            self._create()
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

    def abandon(self) -> None:
        """The import stops (rejected, cancelled, failed): a direct load's lines and dropped
        keys go back to what they were."""
        if self.direct is not None:
            direct, self.direct = self.direct, None
            direct.abandon()

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

    def add(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The chunk without the earlier rows of a key it repeats (the last one wins); only
        a chunk with two equal hashes is searched for repeated keys, exactly."""
        import numpy as np

        hashes = pd.util.hash_pandas_object(frame[KEY], index=False).to_numpy()
        ordered = np.sort(hashes)
        if (ordered[1:] == ordered[:-1]).any():
            kept = ~frame.duplicated(KEY, keep="last").to_numpy()
            frame, hashes = frame[kept], hashes[kept]
        self.parts.append(hashes)
        return frame

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


_CHANGED = ("title", "fund_id", "area_code", "amount_vnd")


def _update_changed(raw, source: str, match: str) -> None:
    """UPDATE the ledger's lines (l) from `source` (s) where `match` holds and the title,
    fund, area or amount differ: an unchanged line is not rewritten."""
    raw.execute(
        f"UPDATE {LEDGER} l SET "
        + ", ".join(f"{c} = s.{c}" for c in _CHANGED)
        + f" FROM ({source}) s WHERE {match} AND ("
        + ", ".join(f"l.{c}" for c in _CHANGED)
        + ") IS DISTINCT FROM ("
        + ", ".join(f"s.{c}" for c in _CHANGED)
        + ")"
    )


def _sort_memory(raw) -> None:
    """Room for the index builds' and the merge's sorts, for this transaction only."""
    raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
    raw.execute("SET LOCAL work_mem = '256MB'")


def bulk_merge(stage: PortfolioStage, check) -> int | None:
    """Write every parked ledger line at once with the bulk-load recipe; None when it does
    not apply (SQLite, a small import, a role without the owner's functions of migration
    0038, the ledger busy), and the caller writes chunk by chunk. `check` is called between steps (a
    cancelled job raises there; the rollback restores every dropped index and key)."""
    if stage.direct is not None:  # the lines are in: settle repeated keys, re-create
        merged = stage.direct.finish(stage.keys, check)
        stage.direct = None
        return merged
    staged = sum(p.rows for parts in stage.parts.values() for p in parts)
    minimum = int(settings["bulk_min_rows"])
    if not stage.postgresql or minimum <= 0 or staged < minimum:
        return None
    raw = stage.raw()
    _sort_memory(raw)
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
    _update_changed(raw, source, _KEY_MATCH)
    check()
    cols = ", ".join(PORTFOLIO_COLUMNS)
    raw.execute(
        f"INSERT INTO {LEDGER} ({cols}) SELECT {', '.join('s.' + c for c in PORTFOLIO_COLUMNS)} "
        f"FROM ({source}) s WHERE NOT EXISTS (SELECT 1 FROM {LEDGER} l WHERE {_KEY_MATCH})"
    )
    check()
    raw.execute("SELECT portfolio_line_bulk_end()")  # indexes, keys, then ANALYZE
    return staged


# A large import into a ledger that holds few lines yet (the first load of a fund's history,
# or a new fund's) skips the stage: with the keys dropped before the checks begin, each
# checked chunk is COPYed straight into portfolio_line, so PostgreSQL writes the lines while
# the client checks the next chunk, and the merge afterwards only settles the keys that
# repeat. It applies while the ledger holds at most `direct_percent` per cent as many lines
# as the import brings (each costs a join; a re-import of a whole ledger is merged from the
# stage, which rewrites nothing unchanged).
settings["direct_percent"] = 10
PAIRS = "portfolio_import_pairs"
_SAME_KEY = " AND ".join(f"o.{k} = n.{k}" for k in KEY)


class DirectLoad:
    """Checked ledger chunks COPYed into portfolio_line with its keys dropped, inside a
    savepoint of the import's transaction. Lines with id above `before` are this import's:
    ids come from the ledger's sequence in COPY order, so the later of two lines with one
    key has the larger id."""

    SAVEPOINT = "ledger_direct"

    def __init__(self, raw, before: int, fund_ids: dict[str, int]):
        self.raw, self.before, self.fund_ids = raw, before, fund_ids
        self.rows = 0
        self._writer: threading.Thread | None = None
        self._failed: BaseException | None = None

    @classmethod
    def start(cls, stage: PortfolioStage, ledger_rows: int, write_funds) -> "DirectLoad | None":
        """Begin a direct load of about `ledger_rows` lines, or None when it does not apply
        (SQLite, a small import, a ledger already holding many lines, a role without the
        owner's functions, the ledger busy). `write_funds()` writes the import's funds and
        is called only when it applies, so that the lines can name them."""
        minimum = int(settings["bulk_min_rows"])
        if not stage.postgresql or minimum <= 0 or ledger_rows < minimum:
            return None
        raw = stage.raw()
        room = ledger_rows * int(settings["direct_percent"]) // 100
        held = raw.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {LEDGER} LIMIT {room + 1}) AS q"
        ).fetchone()
        if held is None or held[0] > room:
            return None
        raw.execute(f"SAVEPOINT {cls.SAVEPOINT}")
        _sort_memory(raw)
        if not _begin(raw):
            cls._undo(raw)
            return None
        found = raw.execute(f"SELECT coalesce(max(id), 0) FROM {LEDGER}").fetchone()
        before = int(found[0]) if found else 0
        upcoming = raw.execute(
            f"SELECT nextval(pg_get_serial_sequence('{LEDGER}', 'id'))"
        ).fetchone()
        if upcoming is None or int(upcoming[0]) <= before:  # ids set by hand: merge instead
            cls._undo(raw)
            return None
        write_funds()
        ids = dict(raw.execute("SELECT code, id FROM fund").fetchall())
        return cls(raw, before, ids)

    @classmethod
    def _undo(cls, raw) -> None:
        """Everything since the savepoint goes back: lines, funds, dropped keys, the lock."""
        raw.execute(f"ROLLBACK TO SAVEPOINT {cls.SAVEPOINT}")
        raw.execute(f"RELEASE SAVEPOINT {cls.SAVEPOINT}")

    def copy(self, frame: pd.DataFrame) -> None:
        """COPY one checked chunk in a thread of its own, so that PostgreSQL writes it while
        this thread checks the next one (the connection is not used meanwhile: the job's
        progress goes through its own transaction)."""
        ids = self.fund_ids
        funds = [ids[code] for code in frame["fund_code"].tolist()]  # checked: all known
        areas = [a or None for a in frame["area_code"].tolist()]  # "" is no area: NULL
        rows = zip(
            frame["project_code"].tolist(),
            frame["title"].tolist(),
            funds,
            areas,
            frame["fiscal_year"].tolist(),
            frame["basis"].tolist(),
            frame["source"].tolist(),
            frame["amount_vnd"].tolist(),
            strict=True,
        )
        self.wait()
        self._writer = threading.Thread(
            target=self._write, args=(rows,), name="ledger-copy", daemon=True
        )
        self._writer.start()
        self.rows += len(frame)

    def _write(self, rows) -> None:
        try:
            cols = ", ".join(PORTFOLIO_COLUMNS)
            with self.raw.cursor() as cur, cur.copy(f"COPY {LEDGER} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        except BaseException as exc:  # raised in the import's thread by wait()
            self._failed = exc

    def wait(self) -> None:
        """The chunk being written is in; its error, if any, is raised here."""
        if self._writer is not None:
            self._writer.join()
            self._writer = None
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def abandon(self) -> None:
        import psycopg

        with contextlib.suppress(BaseException):  # rolled back just below
            self.wait()
        # the transaction itself failed: its rollback restores all
        with contextlib.suppress(psycopg.Error):
            self._undo(self.raw)

    def finish(self, keys: StageKeys, check) -> int:
        """Settle the keys this import repeats and those the ledger already held, re-create
        the keys and indexes; the number of lines loaded."""
        self.wait()
        raw, new = self.raw, f"id > {self.before}"
        check()
        if keys.repeated():  # the later line of a key wins, as chunk by chunk
            raw.execute(
                f"DELETE FROM {LEDGER} l USING (SELECT id, row_number() OVER (PARTITION BY "
                f"{', '.join(KEY)} ORDER BY id DESC) AS later FROM {LEDGER} WHERE {new}) d "
                "WHERE l.id = d.id AND d.later > 1"
            )
        if self.before:  # a key the ledger held keeps its line, changed only if it differs
            raw.execute(
                f"CREATE TEMP TABLE {PAIRS} ON COMMIT DROP AS SELECT o.id AS old_id, "
                "n.id AS new_id, " + ", ".join(f"n.{c}" for c in _CHANGED) + f" FROM {LEDGER} o "
                f"JOIN {LEDGER} n ON {_SAME_KEY} WHERE o.id <= {self.before} AND n.{new}"
            )
            _update_changed(raw, f"SELECT * FROM {PAIRS}", "l.id = s.old_id")
            raw.execute(f"DELETE FROM {LEDGER} l USING {PAIRS} p WHERE l.id = p.new_id")
            raw.execute(f"DROP TABLE {PAIRS}")
        check()
        raw.execute("SELECT portfolio_line_bulk_end()")  # indexes, keys, then ANALYZE
        raw.execute(f"RELEASE SAVEPOINT {self.SAVEPOINT}")
        return self.rows
