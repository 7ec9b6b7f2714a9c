"""Alembic: one head, upgrade and downgrade on both stores, and models == migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from store import create_engine
from store.base import Base
from store.migrate import alembic_config, downgrade, upgrade
from tests.backends import throwaway_database

TABLES = {
    "department",
    "grid",
    "household",
    "household_member",
    "resident",
    "resident_tag",
    "source_record",
    "task",
    "app_user",
    "sync_run",
    "sync_checkpoint",
    "quarantined_record",
    "proposed_deletion",
    "identity_run",
    "identity_event",
    "manual_link",
    "review_pair",
    "match_edge",
    "resident_value",
}


def test_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    assert len(script.get_heads()) == 1


def _inspect(connection: Connection) -> tuple[set[str], list[object]]:
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    return tables, diff


async def _state(url: str) -> tuple[set[str], list[object]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_inspect)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_upgrade_matches_models_and_downgrades(backend: str, tmp_path: Path) -> None:
    with throwaway_database(backend, tmp_path) as url:
        upgrade(url)
        tables, diff = asyncio.run(_state(url))
        assert tables == TABLES
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(url, "base")
        tables, _ = asyncio.run(_state(url))
        assert tables == set()
        upgrade(url)
        assert asyncio.run(_state(url))[0] == TABLES
