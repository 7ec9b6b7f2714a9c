"""Driver-level statements of a page's transaction, one small class per backend.

The page's transaction is SQLAlchemy's: it begins and commits it on the pass's
connection. In between, these send the page's statements straight to that connection's
driver (asyncpg or aiosqlite), as plain SQL the driver prepares once: the stored hashes
of the page's keys (one query, served by the unique index on (source, kind,
source_id)), the new rows, the changed rows, the unchanged rows a full pass marks as
seen, the checkpoint and the run's counters. On PostgreSQL new rows go in by binary COPY
and keys travel as one array parameter; on SQLite by ``executemany``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

INSERT_COLUMNS = (
    "source",
    "kind",
    "source_id",
    "payload",
    "record",
    "content_hash",
    "fetched_at",
    "deleted",
    "last_seen_run_id",
)
STORED = "SELECT source_id, id, content_hash, deleted, last_seen_run_id FROM source_record"
STORED_ANY = f"{STORED} WHERE source = $1 AND kind = $2 AND source_id = ANY($3::varchar[])"
INSERT = (
    f"INSERT INTO source_record ({', '.join(INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})"
)
UPDATE = (
    "UPDATE source_record SET payload = ?, record = ?, content_hash = ?, "
    "fetched_at = ?, deleted = false, last_seen_run_id = ? WHERE id = ?"
)
COUNT = (
    "UPDATE sync_run SET pages = pages + 1, fetched = fetched + ?, inserted = inserted + ?, "
    "updated = updated + ?, unchanged = unchanged + ?, quarantined = quarantined + ?, "
    "retries = retries + ?, proposed_deletions = proposed_deletions + ? WHERE id = ?"
)
MOVE = (
    "UPDATE sync_checkpoint SET run_id = ?, high_watermark = ?, pages = pages + 1, "
    "updated_at = ?, state = ? WHERE source = ? AND resource = ?"
)
FINISH = (
    "UPDATE sync_checkpoint SET run_id = ?, high_watermark = ?, pages = pages + 1, "
    "updated_at = ?, state = NULL, completed_at = ?, watermark = coalesce(?, watermark) "
    "WHERE source = ? AND resource = ?"
)
Stored = dict[str, tuple[int, str, bool, int | None]]  # source_id -> (id, hash, deleted, seen)


class Writer(ABC):
    """The page statements of one backend, sent through ``driver`` (the pass connection's
    asyncpg or aiosqlite connection, inside the page's transaction).

    Rows: (source, kind, source_id, payload JSON, record JSON, hash, fetched_at, deleted,
    seen); updates: (payload JSON, record JSON, hash, fetched_at, seen, id)."""

    @abstractmethod
    async def stored(self, driver: Any, source: str, kind: str, keys: Sequence[str]) -> Stored:
        """What the store holds for these keys."""

    @abstractmethod
    async def insert(self, driver: Any, rows: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    async def update(self, driver: Any, rows: list[tuple[Any, ...]]) -> None: ...

    @abstractmethod
    async def touch(self, driver: Any, seen: int, ids: Sequence[int]) -> None:
        """Mark these rows as seen by the pass ``seen``."""

    @abstractmethod
    async def execute(self, driver: Any, statement: str, *args: Any) -> None:
        """One of the statements above (written with ``?``)."""

    async def count(self, driver: Any, run_id: int, counts: Sequence[int]) -> None:
        """Add (fetched, inserted, updated, unchanged, quarantined, retries, proposed
        deletions) to the run's counters, and one page."""
        await self.execute(driver, COUNT, *counts, run_id)

    async def move(self, driver: Any, key: tuple[str, str], values: tuple[Any, ...]) -> None:
        """Advance a checkpoint: (run_id, high_watermark, updated_at, state JSON)."""
        await self.execute(driver, MOVE, *values, *key)

    async def finish(self, driver: Any, key: tuple[str, str], values: tuple[Any, ...]) -> None:
        """Close a checkpoint's pass: (run_id, high_watermark, updated_at, completed_at,
        watermark, or None to keep the last one)."""
        await self.execute(driver, FINISH, *values, *key)


def _found(rows: Sequence[Sequence[Any]]) -> Stored:
    return {row[0]: (row[1], row[2], bool(row[3]), row[4]) for row in rows}


class SqliteWriter(Writer):
    """aiosqlite: each call is one trip to the connection's thread."""

    CHUNK = 5000  # keys per statement, well under SQLite's 32,766 parameters

    async def stored(self, driver: Any, source: str, kind: str, keys: Sequence[str]) -> Stored:
        found: Stored = {}
        for start in range(0, len(keys), self.CHUNK):
            chunk = keys[start : start + self.CHUNK]
            rows = await driver.execute_fetchall(stored_in(len(chunk)), (source, kind, *chunk))
            found.update(_found(rows))
        return found

    async def insert(self, driver: Any, rows: list[tuple[Any, ...]]) -> None:
        await driver.executemany(INSERT, rows)

    async def update(self, driver: Any, rows: list[tuple[Any, ...]]) -> None:
        await driver.executemany(UPDATE, rows)

    async def touch(self, driver: Any, seen: int, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), self.CHUNK):
            chunk = ids[start : start + self.CHUNK]
            marks = ", ".join("?" * len(chunk))
            sql = f"UPDATE source_record SET last_seen_run_id = ? WHERE id IN ({marks})"
            await driver.execute_fetchall(sql, (seen, *chunk))

    async def execute(self, driver: Any, statement: str, *args: Any) -> None:
        await driver.execute_fetchall(statement, args)


@lru_cache(maxsize=16)
def stored_in(count: int) -> str:
    """SQLite's lookup of ``count`` keys."""
    marks = ", ".join("?" * count)
    return f"{STORED} WHERE source = ? AND kind = ? AND source_id IN ({marks})"


@lru_cache(maxsize=32)
def numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2 …`` (no statement here has a literal
    question mark)."""
    parts = sql.split("?")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]


class PostgresWriter(Writer):
    """asyncpg: statements prepared once per connection; new rows by binary COPY."""

    async def stored(self, driver: Any, source: str, kind: str, keys: Sequence[str]) -> Stored:
        return _found(await driver.fetch(STORED_ANY, source, kind, keys))

    async def insert(self, driver: Any, rows: list[tuple[Any, ...]]) -> None:
        if not driver.is_in_transaction():  # the page's transaction must hold the rows
            raise RuntimeError("COPY into source_record outside the page's transaction")
        await driver.copy_records_to_table(
            "source_record", records=rows, columns=list(INSERT_COLUMNS)
        )

    async def update(self, driver: Any, rows: list[tuple[Any, ...]]) -> None:
        await driver.executemany(numbered(UPDATE), rows)

    async def touch(self, driver: Any, seen: int, ids: Sequence[int]) -> None:
        sql = "UPDATE source_record SET last_seen_run_id = $1 WHERE id = ANY($2::integer[])"
        await driver.execute(sql, seen, ids)

    async def execute(self, driver: Any, statement: str, *args: Any) -> None:
        await driver.execute(numbered(statement), *args)


def writer_for(dialect: str) -> Writer:
    if dialect == "sqlite":
        return SqliteWriter()
    if dialect == "postgresql":
        return PostgresWriter()
    raise ValueError(f"no connector writer for the {dialect!r} dialect")
