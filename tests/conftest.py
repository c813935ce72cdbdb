"""Shared fixtures: a real database per test (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

POSTGRES_URL = os.environ.get("AUP_TEST_POSTGRES_URL")


def _psycopg(url: str) -> str:
    return "postgresql+psycopg://" + url.removeprefix("postgresql://").removeprefix("postgresql+psycopg://")


def postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (module), dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("AUP_REQUIRE_POSTGRES"):
            pytest.fail("AUP_REQUIRE_POSTGRES is set but AUP_TEST_POSTGRES_URL is not")
        pytest.skip("set AUP_TEST_POSTGRES_URL to run the PostgreSQL tier (.ci/run does)")
    name = "aup_" + uuid.uuid4().hex[:12]
    admin = create_engine(_psycopg(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/gateway.db"
    else:
        yield from postgres_database()
