"""The stores: a SQLite file and a PostgreSQL database, seeded by ``yiwang seed-demo``.

Each store is migrated to the head, seeded with N residents and marked (a file beside
the SQLite store, the comment of the PostgreSQL database) with the seed size, the
migration head and a digest of the seeder's code; a store whose marker still matches
is reused, any other is recreated.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import shlex
import subprocess
import time
from pathlib import Path

from .config import PG_ADMIN_DSN, PG_DATABASE, ROOT, WORK, log, yiwang_cli, yiwang_env


@dataclasses.dataclass
class Store:
    backend: str  # "sqlite" | "postgres"
    url: str  # SQLAlchemy async URL
    seeder: str = ""
    counts: dict[str, int] = dataclasses.field(default_factory=dict)


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    from store.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or "none"


def seeder_tag() -> str:
    """Names the seeder and a digest of its code, so changed demo data means a new store."""
    digest = hashlib.sha1()
    for path in [ROOT / "store" / "seed.py", *sorted((ROOT / "population").rglob("*.py"))]:
        if path.exists():
            digest.update(path.read_bytes())
    return f"seed-demo:{digest.hexdigest()[:12]}"


def wanted_marker(residents: int, seeder: str) -> str:
    return f"yiwang-bench residents={residents} revision={alembic_head()} seeder={seeder}"


def seed(store: Store, residents: int) -> None:
    """Migrate the (empty) store, then fill it with `yiwang seed-demo --residents N`."""
    from store.migrate import upgrade

    log(f"{store.backend}: migrating")
    upgrade(store.url)
    log(f"{store.backend}: seeding {residents:,} residents ({store.seeder})")
    started = time.monotonic()
    env = {**os.environ, **yiwang_env(store.url)}
    argv = [str(yiwang_cli()), "seed-demo", "--residents", str(residents)]
    result = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise RuntimeError(f"`{shlex.join(argv)}` failed:\n{result.stderr[-3000:]}")
    log(f"{store.backend}: seeded in {time.monotonic() - started:.0f} s")


def prepare_postgres(residents: int, reseed: bool) -> Store:
    import asyncpg

    store = Store("postgres", f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}")
    store.seeder = seeder_tag()
    marker = wanted_marker(residents, store.seeder)

    async def current() -> str | None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            return await conn.fetchval(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
                "FROM pg_database WHERE datname = $1",
                PG_DATABASE,
            )
        finally:
            await conn.close()

    async def admin(*statements: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    if reseed or asyncio.run(current()) != marker:
        log(f"postgres: (re)creating database {PG_DATABASE}")
        asyncio.run(
            admin(
                f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)",
                f"CREATE DATABASE {PG_DATABASE}",
            )
        )
        seed(store, residents)
        asyncio.run(admin(f"COMMENT ON DATABASE {PG_DATABASE} IS '{marker}'"))
    else:
        log(f"postgres: reusing database {PG_DATABASE} ({marker})")
    asyncio.run(run_sql(store.url, "ANALYZE"))
    store.counts = asyncio.run(table_counts(store.url))
    return store


def prepare_sqlite(residents: int, reseed: bool) -> Store:
    path = WORK / "graphql_page.sqlite3"
    store = Store("sqlite", f"sqlite+aiosqlite:///{path}")
    store.seeder = seeder_tag()
    marker = wanted_marker(residents, store.seeder)
    marker_file = path.with_suffix(".marker")
    current = marker_file.read_text() if marker_file.exists() and path.exists() else None
    if reseed or current != marker:
        log(f"sqlite: (re)creating {path.relative_to(ROOT)}")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker_file):
            stale.unlink(missing_ok=True)
        seed(store, residents)
        asyncio.run(run_sql(store.url, "ANALYZE"))
        marker_file.write_text(marker)
    else:
        log(f"sqlite: reusing {path.relative_to(ROOT)} ({marker})")
    store.counts = asyncio.run(table_counts(store.url))
    return store


def prepare(backend: str, residents: int, reseed: bool) -> Store:
    """The store for ``backend`` ("sqlite" | "postgres"), seeded and counted."""
    if backend == "sqlite":
        return prepare_sqlite(residents, reseed)
    return prepare_postgres(residents, reseed)


async def run_sql(url: str, statement: str) -> None:
    from sqlalchemy import text

    from store.session import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def table_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from store.session import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return {
                table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in ("grid", "household", "resident", "resident_tag")
            }
    finally:
        await engine.dispose()
