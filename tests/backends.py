"""Throwaway stores for tests: a SQLite file, and a PostgreSQL database per test run.

PostgreSQL is used when ``YIWANG_TEST_POSTGRES_URL`` is set or a local server answers;
with ``YIWANG_REQUIRE_POSTGRES=1`` (CI) an unreachable server fails instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_dsn() -> str:
    return os.environ.get("YIWANG_TEST_POSTGRES_URL", DEFAULT_POSTGRES).replace(
        "postgresql+asyncpg://", "postgresql://"
    )


async def _execute(dsn: str, statement: str) -> None:
    conn = await asyncpg.connect(dsn, timeout=3)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def postgres_reachable() -> str | None:
    """None when reachable, else why not."""
    try:
        asyncio.run(_execute(_admin_dsn(), "SELECT 1"))
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        return f"PostgreSQL at {_admin_dsn()} unreachable: {exc}"
    return None


def require_or_skip(env: str, reason: str) -> None:
    if os.environ.get(env) == "1":
        pytest.fail(f"{reason} (required by {env}=1)")
    pytest.skip(reason)


@contextmanager
def throwaway_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the async SQLAlchemy URL of a new, empty database; drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_dir / f'yiwang-{uuid.uuid4().hex[:8]}.db'}"
        return
    problem = postgres_reachable()
    if problem:
        require_or_skip("YIWANG_REQUIRE_POSTGRES", problem)
    name = f"yiwang_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_dsn()
    asyncio.run(_execute(admin, f'CREATE DATABASE "{name}"'))
    url = make_url(admin).set(drivername="postgresql+asyncpg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        asyncio.run(_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
