"""Alembic environment: runs on the connection the gateway hands in, or on AUP_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context

import ai_gateway.models  # noqa: F401  (registers every table)
from ai_gateway.database import Base, make_engine

target_metadata = Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(os.environ.get("AUP_DATABASE_URL", "sqlite:///var/aup-gateway.db"))
    with engine.begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
