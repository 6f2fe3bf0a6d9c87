"""Migrations build exactly the models' schema, and undo cleanly."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import Session, SQLModel

from portal.cli import alembic_config
from portal.models_registry import import_all_models


def test_upgrade_head_matches_the_models_with_no_drift(database_url):
    import_all_models()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(database_url):
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "base")
    engine = create_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(cfg, "heads")
    engine = create_engine(database_url)
    assert "proposal" in inspect(engine).get_table_names()
    engine.dispose()


def test_strategic_technologies_are_seeded_by_the_migration(session):
    from sqlmodel import select

    from funds.taxonomy.models import StrategicTechnology

    codes = {a.code for a in session.exec(select(StrategicTechnology)).all()}
    assert {"AI", "SEMICONDUCTOR", "BIOTECH"} <= codes
    assert session.get(StrategicTechnology, "SEMICONDUCTOR").name_vi == "Chip bán dẫn"


def test_fund_managers_migration_links_every_existing_manager_to_every_existing_fund(database_url):
    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0008_invitations")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for n, role in ((1, "manager"), (2, "manager"), (3, "admin"), (4, "applicant")):
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, institution, password_hash, locale, '
                    "is_active, session_token, created_at) VALUES (:n, :email, 'N', '', 'x', 'vi', "
                    "true, 't', CURRENT_TIMESTAMP)"
                ),
                {"n": n, "email": f"u{n}@example.org"},
            )
            conn.execute(
                text("INSERT INTO user_role (user_id, role) VALUES (:n, :role)"),
                {"n": n, "role": role},
            )
        for n in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO fund (id, code, name, description, created_at) "
                    "VALUES (:n, :code, 'Quỹ', '', CURRENT_TIMESTAMP)"
                ),
                {"n": n, "code": f"F{n}"},
            )
    command.upgrade(cfg, "0010_fund_managers")
    with engine.connect() as conn:
        pairs = set(conn.execute(text("SELECT fund_id, user_id FROM fund_manager")).all())
    engine.dispose()
    assert pairs == {(1, 1), (1, 2), (2, 1), (2, 2)}  # admins and applicants are not linked
    command.upgrade(cfg, "heads")


def test_a_database_made_by_0008_keeps_its_data_through_the_upgrade_to_head(database_url):
    """Rows written the way the 0008 schema had them survive every later revision: the
    invitation's plain secret becomes its hash, earlier accounts count as confirmed, and the
    audit entries are chained."""
    import hashlib

    from funds.audit.services import verify_log

    cfg = alembic_config(database_url)
    command.downgrade(cfg, "0008_invitations")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        for n, role in ((1, "manager"), (2, "reviewer")):
            conn.execute(
                text(
                    'INSERT INTO "user" (id, email, name, institution, password_hash, locale, '
                    "is_active, session_token, created_at) VALUES (:n, :email, 'Người', '', 'x', "
                    "'vi', true, 't', CURRENT_TIMESTAMP)"
                ),
                {"n": n, "email": f"u{n}@example.org"},
            )
            conn.execute(
                text("INSERT INTO user_role (user_id, role) VALUES (:n, :role)"),
                {"n": n, "role": role},
            )
        conn.execute(
            text(
                "INSERT INTO invitation (id, email, name, token, invited_by, created_at) "
                "VALUES (1, 'x@example.org', 'Chuyên gia', 'plain-secret', 1, CURRENT_TIMESTAMP)"
            )
        )
        for n, action in enumerate(("create", "invite", "accept"), start=1):
            conn.execute(
                text(
                    "INSERT INTO audit_entry (id, at, actor_id, object_type, object_id, action, "
                    "detail) VALUES (:n, CURRENT_TIMESTAMP, 1, 'user', 2, :action, '')"
                ),
                {"n": n, "action": action},
            )
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        invitation = conn.execute(text("SELECT token_hash FROM invitation")).one()
        unconfirmed = conn.execute(
            text('SELECT COUNT(*) FROM "user" WHERE email_verified_at IS NULL')
        ).scalar()
        chained = conn.execute(
            text("SELECT action FROM audit_entry WHERE entry_hash IS NOT NULL ORDER BY seq")
        ).all()
    engine.dispose()
    assert invitation.token_hash == hashlib.sha256(b"plain-secret").hexdigest()
    assert unconfirmed == 0
    assert [a for (a,) in chained] == ["create", "invite", "accept"]
    engine = create_engine(database_url)
    with Session(engine) as session:
        report = verify_log(session, expect_count=3)
    engine.dispose()
    assert report.intact, report.broken
