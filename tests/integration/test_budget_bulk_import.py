"""Large ledger imports on PostgreSQL: the bulk-load recipe (keys and indexes dropped and
re-created inside the import's transaction) writes exactly what the chunk-by-chunk path
writes, leaves the ledger's schema as it was, and steps aside when it cannot lock the ledger."""

import uuid

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from funds.compliance import importing, loading
from funds.compliance.importing import ImportFile
from funds.compliance.services import import_budget
from funds.errors import DomainError
from funds.portfolio.models import PortfolioLine, PortfolioTotal
from tests.budget_data import FUNDS, PORTFOLIO, YEARS

# After PORTFOLIO: P1 planned/state changed twice across chunks (the later line wins), P2
# planned/state unchanged, P2 committed/state changed, P3 new, P1 disbursed untouched.
AGAIN = (
    "project_code,title,fund_code,strategic_area,fiscal_year,basis,source,amount_vnd\n"
    "P1,Chip bán dẫn,NAF,SEMICONDUCTOR,2026,planned,state,100\n"
    "P2,Nghiên cứu cơ bản,NIF,,2026,planned,state,4000\n"
    "P2,Nghiên cứu cơ bản,NIF,AI,2026,committed,state,4500\n"
    "P1,Chip bán dẫn mới,NAF,SEMICONDUCTOR,2026,planned,state,300\n"
    "P3,Cơ bản,NIF,,2027,committed,nonstate,5\n"
)
EXPECTED = [
    ("P1", "Chip bán dẫn", "SEMICONDUCTOR", 2026, "committed", "nonstate", 8000),
    ("P1", "Chip bán dẫn", "SEMICONDUCTOR", 2026, "committed", "state", 4000),
    ("P1", "Chip bán dẫn", "SEMICONDUCTOR", 2026, "disbursed", "state", 1000),
    ("P1", "Chip bán dẫn mới", "SEMICONDUCTOR", 2026, "planned", "state", 300),
    ("P2", "Nghiên cứu cơ bản", "AI", 2026, "committed", "state", 4500),
    ("P2", "Nghiên cứu cơ bản", None, 2026, "planned", "nonstate", 20000),
    ("P2", "Nghiên cứu cơ bản", None, 2026, "planned", "state", 4000),
    ("P3", "Cơ bản", None, 2027, "committed", "nonstate", 5),
]


def files(**texts):
    return [ImportFile(name=f"{k}.csv", data=v.encode("utf-8")) for k, v in texts.items()]


def ledger(session):
    L = PortfolioLine
    rows = session.exec(
        select(L.project_code, L.title, L.area_code, L.fiscal_year, L.basis, L.source, L.amount_vnd)
    ).all()
    return sorted((tuple(r) for r in rows), key=lambda r: (r[0], r[4], r[5]))


def schema(session):
    """The ledger's keys and indexes, by name and definition, as the catalog has them."""
    rows = session.execute(
        text(
            "SELECT contype::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'portfolio_line'::regclass UNION ALL "
            "SELECT 'index', c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'portfolio_line'::regclass"
        )
    ).all()
    return sorted(tuple(r) for r in rows)


def kinds(found):
    return sorted(kind for kind, _name, _definition in found)


@pytest.fixture
def bulk_taken(monkeypatch):
    """Whether each import took the bulk path (the owner's function answered)."""
    taken = []
    real = loading._begin
    monkeypatch.setattr(loading, "_begin", lambda raw: taken.append(real(raw)) or taken[-1])
    return taken


def ctid(session, code, basis, source):
    return session.execute(
        text(
            "SELECT ctid::text FROM portfolio_line WHERE project_code = :c AND basis = :b "
            "AND source = :s"
        ),
        {"c": code, "b": basis, "s": source},
    ).scalar()


@pytest.fixture
def postgresql(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the bulk-load recipe is PostgreSQL's (SQLite writes chunk by chunk)")


@pytest.mark.parametrize(
    "bulk_min_rows, direct_percent",
    [(0, 10), (1, 0), (1, 10**6)],
    ids=["chunk by chunk", "bulk recipe from the stage", "bulk recipe straight to the ledger"],
)
def test_the_bulk_recipe_writes_what_the_chunked_path_writes(
    session, monkeypatch, bulk_min_rows, direct_percent
):
    """Run on both databases; on PostgreSQL the later cases take the bulk path, merging
    from the stage or loading straight into the ledger and settling the keys it held."""
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)  # P1 planned/state repeats across chunks
    monkeypatch.setitem(loading.settings, "bulk_min_rows", bulk_min_rows)
    monkeypatch.setitem(loading.settings, "direct_percent", direct_percent)
    counts = import_budget(session, actor=None, files=files(p=AGAIN))
    session.commit()
    assert counts["portfolio"] == 5
    assert ledger(session) == EXPECTED
    T = PortfolioTotal  # noqa: N806
    totals = session.exec(
        select(T.fiscal_year, T.area_key, func.sum(T.amount_vnd))
        .where(T.basis == "committed")
        .group_by(T.fiscal_year, T.area_key)
        .order_by(T.fiscal_year, T.area_key)
    ).all()
    assert [tuple(t) for t in totals] == [
        (2026, "AI", 4500),
        (2026, "SEMICONDUCTOR", 12000),
        (2027, "", 5),
    ]


@pytest.mark.parametrize("direct_percent", [0, 10**6], ids=["from the stage", "straight in"])
def test_the_bulk_recipe_restores_every_key_and_index_and_leaves_unchanged_lines(
    session, monkeypatch, postgresql, bulk_taken, direct_taken, direct_percent
):
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    before = schema(session)
    # two checks, two foreign keys, the primary and unique keys, their indexes and the
    # fiscal year's
    indexes = ["index"] * 3
    assert kinds(before) == ["c", "c", "f", "f", *indexes, "p", "u"]
    unchanged = ctid(session, "P2", "planned", "state")
    changed = ctid(session, "P2", "committed", "state")
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    monkeypatch.setitem(loading.settings, "direct_percent", direct_percent)
    import_budget(session, actor=None, files=files(p=AGAIN))
    session.commit()
    assert bulk_taken == [True]
    assert direct_taken[-1] == bool(direct_percent)
    assert schema(session) == before
    assert ctid(session, "P2", "planned", "state") == unchanged  # not rewritten
    assert ctid(session, "P2", "committed", "state") != changed
    with pytest.raises(Exception, match="duplicate key"):  # the unique key is enforced again
        session.execute(
            text(
                "INSERT INTO portfolio_line (project_code, title, fund_id, fiscal_year, basis, "
                "source, amount_vnd) SELECT project_code, title, fund_id, fiscal_year, basis, "
                "source, amount_vnd FROM portfolio_line LIMIT 1"
            )
        )
    session.rollback()


class Cancelled(DomainError):
    pass


class CancelAfterDrops:
    """A job's progress whose cancel button was pressed once the writing has begun."""

    def __init__(self):
        self.writing = False

    def stage(self, label, total=None):
        self.writing = "Writing" in str(label)

    def advance(self, n):
        pass

    def check(self):
        if self.writing:
            raise Cancelled("cancelled")


def test_a_bulk_import_cancelled_after_the_drops_leaves_ledger_and_schema_whole(
    session, monkeypatch, postgresql, bulk_taken
):
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    before, lines = schema(session), ledger(session)
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    with pytest.raises(Cancelled):
        import_budget(session, actor=None, files=files(p=AGAIN), progress=CancelAfterDrops())
    assert bulk_taken == [True]  # cancelled with the keys dropped
    session.rollback()
    assert schema(session) == before
    assert ledger(session) == lines


def test_a_busy_ledger_is_written_chunk_by_chunk_instead(
    session, app, monkeypatch, postgresql, bulk_taken
):
    """A report still reading the ledger: the import does not wait behind it for long, and
    does not stop readers; it takes the row-by-row path, which locks nothing."""
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    monkeypatch.setitem(loading.settings, "lock_timeout_ms", 200)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    reader = create_engine(app.config["DATABASE_URL"])
    try:
        with reader.connect() as conn:
            conn.execute(text("SELECT count(*) FROM portfolio_line")).scalar()  # holds its lock
            counts = import_budget(session, actor=None, files=files(p=AGAIN))
            session.commit()
        assert bulk_taken == [False]  # the ledger was busy: nothing was dropped
        assert counts["portfolio"] == 5
        assert ledger(session) == EXPECTED
    finally:
        reader.dispose()


@pytest.fixture
def app_role(database_url, runner):
    """A login role that owns nothing, granted the portal's privileges by db-grant."""
    role = f"rdfund_app_{uuid.uuid4().hex[:8]}"
    owner = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    result = runner.invoke(args=["db-grant", "--role", role])
    assert result.exit_code == 0, result.output
    engine = create_engine(make_url(database_url).set(username=role, password=None))
    yield engine
    engine.dispose()
    with owner.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    owner.dispose()


def test_the_application_role_takes_the_bulk_path_through_the_owners_functions(
    session, monkeypatch, postgresql, bulk_taken, app_role
):
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    before = schema(session)
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    with Session(app_role) as s:
        assert s.execute(text("SELECT current_user")).scalar() != "rdfund"
        counts = import_budget(s, actor=None, files=files(p=AGAIN))
        s.commit()
    assert bulk_taken == [True]
    assert counts["portfolio"] == 5
    session.expire_all()
    assert ledger(session) == EXPECTED
    assert schema(session) == before


@pytest.mark.parametrize(
    "sql",
    [
        "DROP INDEX ix_portfolio_line_fiscal_year",
        "ALTER TABLE portfolio_line DROP CONSTRAINT portfolio_line_fund_id_fkey",
        "SELECT * FROM portfolio_line_bulk",
        "INSERT INTO portfolio_line_bulk VALUES (txid_current(), 1, 'index', 'x', 'SELECT 1')",
    ],
)
def test_the_application_role_touches_the_ledgers_keys_only_through_the_functions(
    session, postgresql, app_role, sql
):
    with app_role.connect() as conn, pytest.raises(DBAPIError, match=r"must be owner|permission"):
        conn.execute(text(sql))


def test_a_transaction_that_dropped_the_keys_cannot_commit_without_re_creating_them(
    session, postgresql, app_role
):
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    before = schema(session)
    with app_role.connect() as conn:
        assert (
            conn.execute(text("SELECT portfolio_line_bulk_begin()")).scalar() == 4
        )  # one index, the unique key, two foreign keys
        with pytest.raises(DBAPIError, match="not re-created"):
            conn.commit()
    assert schema(session) == before


@pytest.fixture
def direct_taken(monkeypatch):
    """Whether each import loaded its ledger lines straight into the ledger."""
    taken = []
    real = loading.DirectLoad.start

    def recorded(stage, lines, write_funds):
        found = real(stage, lines, write_funds)
        taken.append(found is not None)
        return found

    monkeypatch.setattr(loading.DirectLoad, "start", staticmethod(recorded))
    return taken


def test_a_first_load_goes_straight_to_the_ledger_with_its_new_funds(
    session, monkeypatch, postgresql, direct_taken
):
    """An empty ledger, funds new in the same import, a key repeated across chunks: the
    lines are COPYed into the ledger as they are checked and read like the chunk-by-chunk
    import's."""
    before = schema(session)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    repeated = PORTFOLIO + "P1,Chip bán dẫn mới,NAF,SEMICONDUCTOR,2026,planned,state,300\n"
    counts = import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=repeated))
    session.commit()
    assert direct_taken == [True]
    assert counts["funds"] == 2
    assert counts["portfolio"] == 8  # lines loaded; the repeated key kept its later line
    lines = ledger(session)
    assert len(lines) == 7
    assert ("P1", "Chip bán dẫn mới", "SEMICONDUCTOR", 2026, "planned", "state", 300) in lines
    assert schema(session) == before
    funds = dict(session.execute(text("SELECT code, id FROM fund")).all())
    assert set(session.exec(select(PortfolioLine.fund_id)).all()) == {funds["NAF"], funds["NIF"]}
    committed = session.execute(
        text("SELECT sum(amount_vnd) FROM portfolio_total WHERE basis = 'committed'")
    ).scalar()
    assert committed == 16000


BAD_LAST = PORTFOLIO + "P9,Sai,NAF,,2026,planned,state,12.5\n"


@pytest.mark.parametrize("how", ["rejected", "cancelled while checking", "cancelled writing"])
def test_a_direct_load_that_stops_leaves_ledger_funds_and_schema_whole(
    session, monkeypatch, postgresql, direct_taken, how
):
    """The first chunks are already in the ledger, with its keys dropped and the import's
    funds written, when a later row is wrong or the job is cancelled: everything goes back."""
    before, count = (
        schema(session),
        lambda table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar(),
    )
    funds = count("fund")
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    if how == "rejected":
        with pytest.raises(DomainError) as failed:
            import_budget(session, actor=None, files=files(f=FUNDS, p=BAD_LAST))
        assert [p.row for p in failed.value.problems] == [9]
    else:
        progress = CancelAfterDrops() if how == "cancelled writing" else CancelAfterChunks(2)
        with pytest.raises(Cancelled):
            import_budget(session, actor=None, files=files(f=FUNDS, p=PORTFOLIO), progress=progress)
    assert direct_taken == [True]
    assert count("portfolio_line") == 0
    assert count("fund") == funds
    assert schema(session) == before  # restored within the transaction, before any rollback
    session.rollback()
    assert schema(session) == before


class CancelAfterChunks:
    """A job cancelled while its files are still being checked."""

    def __init__(self, chunks):
        self.left = chunks

    def stage(self, label, total=None):
        pass

    def advance(self, n):
        self.left -= 1
        if self.left <= 0:
            raise Cancelled("cancelled")

    def check(self):
        pass


def test_a_ledger_holding_many_lines_is_merged_from_the_stage(
    session, monkeypatch, postgresql, direct_taken, bulk_taken
):
    """A re-import of most of the ledger: loading straight in would add and delete most
    lines; it merges from the stage, leaving unchanged lines where they are."""
    import_budget(session, actor=None, files=files(f=FUNDS, y=YEARS, p=PORTFOLIO))
    session.commit()
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    import_budget(session, actor=None, files=files(p=AGAIN))
    session.commit()
    assert direct_taken == [False, False]  # too small a file; then, too full a ledger
    assert bulk_taken == [True]


def test_a_chunk_the_database_refuses_fails_the_import_and_leaves_nothing(
    session, monkeypatch, postgresql, direct_taken
):
    """Each chunk is COPYed in a thread of its own while the next is checked: the server's
    refusal there (here a line against the ledger's own check) reaches the import, which
    stops and rolls the load back."""
    before = schema(session)
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    monkeypatch.setitem(loading.settings, "bulk_min_rows", 1)
    real = loading.DirectLoad._write

    def with_a_negative_amount(self, rows):
        rows = list(rows)
        real(self, [*rows, (*rows[0][:7], -1)])

    monkeypatch.setattr(loading.DirectLoad, "_write", with_a_negative_amount)
    import psycopg

    with pytest.raises(psycopg.Error, match="ck_portfolio_amount_nonnegative"):
        import_budget(session, actor=None, files=files(f=FUNDS, p=PORTFOLIO))
    assert direct_taken == [True]
    session.rollback()
    assert session.execute(text("SELECT count(*) FROM portfolio_line")).scalar() == 0
    assert schema(session) == before
