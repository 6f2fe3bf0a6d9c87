"""Migrations build exactly the models' schema, and undo cleanly."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

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

    from funds.models import StrategicTechnology

    codes = {a.code for a in session.exec(select(StrategicTechnology)).all()}
    assert {"AI", "SEMICONDUCTOR", "BIOTECH"} <= codes
    assert session.get(StrategicTechnology, "SEMICONDUCTOR").name_vi == "Chip bán dẫn"
