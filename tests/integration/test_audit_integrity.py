"""Audit log integrity: the hash chain on a real database, tampering found, the database
refusing changes, the application role, and the migration's backfill."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, make_url, text
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlmodel import Session

from funds import audit
from funds.audit.models import AuditEntry
from funds.audit.rules import GENESIS, canonical, entry_hash
from funds.clock import utcnow
from funds.proposals import services as proposal_svc
from portal.cli import alembic_config
from tests.conftest import BACKEND

pg_only = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL only")
sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite only")

AWKWARD = [
    "",
    "Đề tài nghiên cứu chip bán dẫn",
    "a|b,c;d",
    "4:xx~",
    "~",
    "😀 中文 ₫",
    'quote " backslash \\ tab \t newline \n',
    "\r\x01\u2028 ",
    "x" * 3990,
]


def log(session, n: int, **kw) -> list[AuditEntry]:
    entries = [
        audit.record(
            session,
            actor_id=None,
            object_type="test",
            object_id=i,
            action="note",
            detail=f"entry {i}",
            **kw,
        )
        for i in range(n)
    ]
    session.commit()
    return entries


def verify(runner, *args):
    return runner.invoke(args=["audit-verify", *args])


def test_entries_from_services_form_an_intact_chain_that_the_command_verifies(
    session, make, runner
):
    make.proposal()
    log(session, 3)
    report = audit.verify_log(session)
    assert report.intact
    assert report.count >= 5
    assert report.count == session.exec(text("SELECT count(*) FROM audit_entry")).one()[0]
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Audit chain intact: {report.count} entries, last hash {report.last_hash}"
    )


def test_entries_of_one_flush_are_chained_one_after_the_other(session):
    entries = log(session, 4)
    session.expire_all()
    seqs = [session.get(AuditEntry, e.id).seq for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    first = session.get(AuditEntry, entries[1].id)
    assert first.prev_hash == session.get(AuditEntry, entries[0].id).entry_hash


def test_autosave_entries_are_chained_on_either_database(session, make):
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    v = p.version_id
    for i, text_ in enumerate(AWKWARD[:4]):
        saved = proposal_svc.save_summary(
            session,
            actor_id=pi.id,
            proposal_id=p.id,
            expected_version=v + i,
            values={"abstract": text_},
        )
        assert saved is not None
        session.commit()
    report = audit.verify_log(session)
    assert report.intact
    last = session.exec(
        text("SELECT action, object_id, seq FROM audit_entry ORDER BY seq DESC LIMIT 1")
    ).one()
    assert tuple(last) == ("save", p.id, report.count)


def test_a_rolled_back_entry_leaves_no_gap(session):
    log(session, 2)
    audit.record(session, actor_id=None, object_type="test", object_id=9, action="lost")
    session.flush()
    session.rollback()
    log(session, 1)
    assert audit.verify_log(session).intact


@sqlite_only
def test_two_writers_that_chain_onto_the_same_entry_collide_instead_of_forking(session):
    log(session, 1)
    seq, digest = session.exec(
        text("SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
    ).one()
    with pytest.raises(IntegrityError):
        session.exec(
            insert(AuditEntry.__table__).values(
                at=utcnow(),
                object_type="test",
                object_id=1,
                action="fork",
                detail="",
                seq=seq,
                prev_hash=digest,
                entry_hash=digest,
            )
        )
    session.rollback()


@pg_only
def test_a_raw_insert_cannot_choose_its_place_in_the_chain(session):
    log(session, 2)
    session.exec(
        insert(AuditEntry.__table__).values(
            at=utcnow(),
            object_type="test",
            object_id=1,
            action="raw",
            detail="",
            seq=1,
            prev_hash=GENESIS,
            entry_hash="f" * 64,
        )
    )
    session.commit()
    report = audit.verify_log(session)
    assert report.intact
    assert report.count == 3


# --- tampering by someone who owns the database (SQLite cannot stop them) -----------------


@pytest.fixture
def tamper(session):
    """Run SQL as an owner would: SQLite's append-only triggers dropped first."""

    def run(sql: str, **params):
        session.exec(text("DROP TRIGGER IF EXISTS audit_entry_no_update"))
        session.exec(text("DROP TRIGGER IF EXISTS audit_entry_no_delete"))
        session.exec(text(sql), params=params)
        session.commit()

    return run


def middle_and_last(session) -> tuple[tuple, tuple]:
    rows = session.exec(text("SELECT seq, id, entry_hash FROM audit_entry ORDER BY seq")).all()
    return tuple(rows[len(rows) // 2]), tuple(rows[-1])


@sqlite_only
def test_an_edited_detail_is_reported_as_edited_content(session, runner, tamper):
    log(session, 5)
    (seq, id_, _), _ = middle_and_last(session)
    tamper("UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = :seq", seq=seq)
    report = audit.verify_log(session)
    assert (report.broken.kind, report.broken.seq, report.broken.id) == ("edited", seq, id_)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN at seq {seq} (id {id_}): edited" in result.output


@sqlite_only
def test_a_deleted_middle_entry_is_reported_as_missing(session, runner, tamper):
    log(session, 5)
    (seq, _, _), _ = middle_and_last(session)
    tamper("DELETE FROM audit_entry WHERE seq = :seq", seq=seq)
    report = audit.verify_log(session)
    assert (report.broken.kind, report.broken.seq, report.count) == ("missing", seq + 1, seq - 1)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"seq {seq} are missing" in result.output


@sqlite_only
def test_a_renumbered_chain_after_a_deletion_is_still_caught(session, tamper):
    log(session, 5)
    (seq, _, _), _ = middle_and_last(session)
    tamper("DELETE FROM audit_entry WHERE seq = :seq", seq=seq)
    tamper("UPDATE audit_entry SET seq = seq - 1 WHERE seq > :seq", seq=seq)
    assert audit.verify_log(session).broken.seq == seq


@sqlite_only
def test_a_deleted_last_entry_is_caught_only_against_the_recorded_anchor(session, runner, tamper):
    log(session, 5)
    _, (seq, _, last_hash) = middle_and_last(session)
    anchor = ["--expect-count", str(seq), "--expect-last", last_hash]
    assert verify(runner, *anchor).exit_code == 0
    tamper("DELETE FROM audit_entry WHERE seq = :seq", seq=seq)
    assert verify(runner).exit_code == 0
    for args in (anchor, anchor[:2], anchor[2:]):
        result = verify(runner, *args)
        assert result.exit_code == 1, args
        assert "BROKEN at the anchor: missing" in result.output


@sqlite_only
def test_an_insertion_in_the_middle_is_caught(session, tamper):
    log(session, 4)
    (seq, _, _), _ = middle_and_last(session)
    tamper("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= :seq", seq=seq)
    tamper("UPDATE audit_entry SET seq = seq - 999 WHERE seq >= 1000")
    forged = {
        "seq": seq,
        "at": utcnow(),
        "actor_id": None,
        "object_type": "test",
        "object_id": 0,
        "action": "forged",
        "from_state": None,
        "to_state": None,
        "detail": "",
    }
    prev = session.exec(
        text("SELECT entry_hash FROM audit_entry WHERE seq = :s"), params={"s": seq - 1}
    ).one()[0]
    digest = entry_hash(**forged, prev_hash=prev)
    session.exec(insert(AuditEntry.__table__).values(**forged, prev_hash=prev, entry_hash=digest))
    session.commit()
    broken = audit.verify_log(session).broken
    assert (broken.seq, broken.kind) == (seq + 1, "edited")


# --- PostgreSQL: the database itself refuses, and agrees with Python ------------------------


@pg_only
@pytest.mark.parametrize(
    "sql",
    ["TRUNCATE audit_entry", "UPDATE audit_entry SET detail = 'x'", "DELETE FROM audit_entry"],
)
def test_postgresql_refuses_to_change_or_empty_the_log(session, sql):
    log(session, 2)
    with pytest.raises(DatabaseError, match="append-only"):
        session.exec(text(sql))
    session.rollback()
    assert audit.verify_log(session).count == 2


@pg_only
def test_postgresql_and_python_agree_on_the_canonical_form_and_hash(session):
    start = utcnow()
    rows = [
        {
            "at": start + timedelta(microseconds=i * 7919, days=-i),
            "actor_id": None,
            "object_type": "test",
            "object_id": i,
            "action": "note",
            "from_state": [None, "", "draft"][i % 3],
            "to_state": [None, "~", "1:x"][i % 3],
            "detail": AWKWARD[i % len(AWKWARD)] + str(i),
        }
        for i in range(60)
    ]
    session.exec(insert(AuditEntry.__table__), params=rows)
    session.commit()
    stored = (
        session.exec(
            text(
                "SELECT seq, at, actor_id, object_type, object_id, action, from_state, to_state, "
                "detail, prev_hash, entry_hash, "
                "audit_entry_canonical(seq, at, actor_id, object_type, object_id, action, "
                "from_state, to_state, detail, prev_hash) AS sql_canonical "
                "FROM audit_entry ORDER BY seq"
            )
        )
        .mappings()
        .all()
    )
    assert len(stored) == 60
    for row in stored:
        fields = {
            k: row[k]
            for k in (
                "seq",
                "at",
                "actor_id",
                "object_type",
                "object_id",
                "action",
                "from_state",
                "to_state",
                "detail",
                "prev_hash",
            )
        }
        assert row["sql_canonical"] == canonical(**fields)
        assert row["entry_hash"] == entry_hash(**fields)
    assert audit.verify_log(session).intact


@pg_only
def test_a_second_writer_waits_for_the_first_to_commit_and_chains_onto_its_entry(app):
    engine = app.extensions["rdfund.engine"]
    first, second = Session(engine), Session(engine)
    audit.record(first, actor_id=None, object_type="test", object_id=1, action="first")
    first.flush()
    done = threading.Event()

    def write_second():
        audit.record(second, actor_id=None, object_type="test", object_id=2, action="second")
        second.commit()
        done.set()

    worker = threading.Thread(target=write_second)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while not _waiting_on_advisory_lock(engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_advisory_lock(engine)
        assert not done.is_set()
        first.commit()
        worker.join(10)
        assert done.is_set()
    finally:
        first.close()
        worker.join(10)
        second.close()
    with Session(engine) as s:
        rows = s.exec(
            text("SELECT action, seq FROM audit_entry WHERE object_type = 'test' ORDER BY seq")
        ).all()
        assert [r[0] for r in rows] == ["first", "second"]
        assert audit.verify_log(s).intact


def _waiting_on_advisory_lock(engine) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar()
            > 0
        )


@pg_only
def test_concurrent_writers_never_fork_the_chain(app):
    engine = app.extensions["rdfund.engine"]

    def writer(k):
        for i in range(10):
            with Session(engine) as s:
                audit.record(
                    s, actor_id=None, object_type="test", object_id=k * 100 + i, action="burst"
                )
                s.commit()

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with Session(engine) as s:
        report = audit.verify_log(s)
        bursts = s.exec(text("SELECT count(*) FROM audit_entry WHERE action = 'burst'")).one()
    assert report.intact
    assert bursts[0] == 60


# --- PostgreSQL: an application role that does not own the tables ---------------------------


@pytest.fixture
def app_role(database_url):
    """A login role without ownership; dropped again at the end."""
    role = f"rdfund_app_{uuid.uuid4().hex[:8]}"
    owner = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role, make_url(database_url).set(username=role, password=None)
    with owner.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    owner.dispose()


@pg_only
def test_the_application_role_appends_chained_entries_but_cannot_disable_or_empty_the_log(
    runner, make, app_role
):
    role, role_url = app_role
    pi = make.user("applicant")
    p = make.proposal(pi=pi)
    result = runner.invoke(args=["db-grant", "--role", role])
    assert result.exit_code == 0, result.output
    engine = create_engine(role_url)
    try:
        with Session(engine) as s:
            assert s.exec(text("SELECT current_user")).one()[0] == role
            entry = audit.record(
                s, actor_id=pi.id, object_type="test", object_id=1, action="as_app"
            )
            assert proposal_svc.save_summary(
                s,
                actor_id=pi.id,
                proposal_id=p.id,
                expected_version=p.version_id,
                values={"abstract": "Viết bởi vai ứng dụng"},
            )
            s.commit()
            assert entry.seq is not None
            assert audit.verify_log(s).intact
            for sql in (
                "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
                "TRUNCATE audit_entry",
                "UPDATE audit_entry SET detail = 'x'",
                "DELETE FROM audit_entry",
                "DROP TRIGGER audit_entry_chain ON audit_entry",
            ):
                with pytest.raises(DatabaseError, match=r"must be owner|permission denied"):
                    s.exec(text(sql))
                s.rollback()
    finally:
        engine.dispose()


@pg_only
def test_db_grant_refuses_a_superuser_or_an_owner(runner):
    result = runner.invoke(args=["db-grant", "--role", "rdfund"])
    assert result.exit_code != 0
    assert "superuser or owns tables" in result.output


@sqlite_only
def test_db_grant_explains_that_sqlite_has_no_roles(runner):
    result = runner.invoke(args=["db-grant", "--role", "rdfund_app"])
    assert result.exit_code != 0
    assert "only on PostgreSQL" in result.output


# --- the migration chains entries written before it -----------------------------------------


@pytest.fixture
def empty_database_url(tmp_path, request):
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    server = request.getfixturevalue("pg_server_url")
    name = f"rdfund_m_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _stored_instant(at):
    """As SQLAlchemy writes an instant to SQLite (text), or as is for PostgreSQL."""
    return at.strftime("%Y-%m-%d %H:%M:%S.%f") if BACKEND == "sqlite" else at


def test_the_migration_chains_existing_entries_in_id_order(empty_database_url):
    cfg = alembic_config(empty_database_url)
    command.upgrade(cfg, "0008_invitations")
    engine = create_engine(empty_database_url)
    now = utcnow()
    with engine.begin() as conn:
        for i, detail in enumerate(AWKWARD):
            conn.execute(
                text(
                    "INSERT INTO audit_entry (at, actor_id, object_type, object_id, "
                    "action, from_state, to_state, detail) VALUES "
                    "(:at, NULL, 'legacy', :i, 'note', :fs, NULL, :d)"
                ),
                {
                    "at": _stored_instant(now - timedelta(days=i, microseconds=i)),
                    "i": i,
                    "fs": None if i % 2 else "",
                    "d": detail,
                },
            )
    command.upgrade(cfg, "0009_audit_chain")
    try:
        with Session(engine) as s:
            report = audit.verify_log(s)
            assert report.intact
            assert report.count == len(AWKWARD)
            first = s.exec(text("SELECT object_id, prev_hash FROM audit_entry WHERE seq = 1")).one()
            assert tuple(first) == (0, GENESIS)
            audit.record(s, actor_id=None, object_type="test", object_id=1, action="after")
            s.commit()
            assert audit.verify_log(s).count == len(AWKWARD) + 1
        command.downgrade(cfg, "0008_invitations")
        with engine.connect() as conn:
            columns = (
                {c[1] for c in conn.execute(text("PRAGMA table_info(audit_entry)"))}
                if BACKEND == "sqlite"
                else set(
                    conn.execute(
                        text(
                            "SELECT column_name FROM information_schema.columns "
                            "WHERE table_name = 'audit_entry'"
                        )
                    ).scalars()
                )
            )
        assert "seq" not in columns
        assert "entry_hash" not in columns
    finally:
        engine.dispose()
