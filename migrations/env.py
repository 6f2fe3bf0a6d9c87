"""Alembic environment on SQLModel's metadata; batch mode for SQLite."""

import os

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from reviews.models_registry import import_all_models

import_all_models()
config = context.config
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """The domain's own column types (funds.types) are rendered as the type they create, so a
    new revision imports no application code."""
    if (
        type_ == "type"
        and isinstance(obj, TypeDecorator)
        and type(obj).__module__.startswith(("funds.", "reviews."))
    ):
        return f"sa.{obj.impl!r}"
    return False


def database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("RDFUND_DATABASE_URL")
    if not url:
        raise RuntimeError("Set RDFUND_DATABASE_URL or pass database_url to Alembic.")
    return url


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = database_url()
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(
            {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
        )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=url.startswith("sqlite"),
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
