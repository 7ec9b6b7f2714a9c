"""Writing one page: records, quarantine, checkpoint and run counters in one transaction.

This is what makes a crash harmless: the checkpoint only moves together with the page's
records, so a restarted sync asks again for exactly the first page not committed, and
the upsert by (source, kind, source_id) with a content hash makes a page seen twice
change nothing. Each resource's pass keeps one connection and commits one transaction
per page on it; the page's statements go to the driver directly (``writers``).

On SQLite, writers take turns through one lock instead of waiting on the database's
busy timeout. On PostgreSQL a page's transaction commits without waiting for the WAL
flush (``SET LOCAL synchronous_commit = off``, what SQLite's WAL with ``synchronous =
NORMAL`` does as well): a server crash may lose the last pages committed, but only
together with their checkpoint, so the next run fetches them again; a killed sync loses
nothing. A bulk load into a young table is followed by ANALYZE now and then: with
statistics that still say "empty", the planner would scan every row of the source to
look up each page's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Dialect, Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.canonical import dumps
from connectors.deletions import propose_deletions
from connectors.runs import Checkpoint, later, now
from connectors.upsert import Bad, Good, quarantine, stored, upsert
from connectors.writers import writer_for
from store.models import SyncCheckpoint
from store.models.sync import SyncMode

_STAMP = cast(Table, SyncCheckpoint.__table__).c.updated_at.type


def _stamp(dialect: Dialect, moment: datetime) -> Any:
    """A time as the driver takes it for a timestamp column (text on SQLite)."""
    to_db = _STAMP.bind_processor(dialect)
    return to_db(moment) if to_db else moment


@dataclass
class MappedPage:
    """A fetched page after mapping, with where the pass goes next."""

    label: str
    fetched: int
    fetched_at: datetime
    good: list[Good] = field(default_factory=list)
    bad: list[Bad] = field(default_factory=list)
    next_state: dict[str, Any] | None = None
    high_watermark: str | None = None


@dataclass(frozen=True)
class PageCounts:
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    proposed_deletions: int


@dataclass
class Timings:
    """Seconds spent in each stage of a sync, summed over its pages (for benchmarks and
    diagnostics). In the pipeline, fetching and mapping the next pages overlap with
    storing the current one, so the stages add up to more than the elapsed time."""

    wait: float = 0.0  # waiting for the next page to arrive
    map: float = 0.0  # mapping, validating and hashing (``map_page``)
    lookup: float = 0.0  # the stored hashes of the page's keys
    write: float = 0.0  # inserts, updates, marks of records seen, quarantine
    checkpoint: float = 0.0  # checkpoint and run counters
    deletions: float = 0.0  # proposing deletions at the end of a full pass
    commit: float = 0.0
    pages: int = 0
    records: int = 0


class Staging:
    """The store side of a sync."""

    def __init__(self, engine: AsyncEngine, timings: Timings | None = None) -> None:
        self.engine = engine
        self.timings = timings if timings is not None else Timings()
        self.writer = writer_for(engine.dialect.name)
        sqlite = engine.dialect.name == "sqlite"
        self._lock = asyncio.Lock() if sqlite else None
        self._postgres = engine.dialect.name == "postgresql"
        self._rows_at_analyze: float | None = None
        self._inserted_since = 0

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """The connection a resource's pass commits its pages on."""
        async with self.engine.connect() as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def transaction(
        self, conn: AsyncConnection | None = None
    ) -> AsyncIterator[AsyncConnection]:
        """A transaction on ``conn``, or on a connection of its own."""
        async with contextlib.AsyncExitStack() as stack:
            if self._lock is not None:
                await stack.enter_async_context(self._lock)
            if conn is None:
                yield await stack.enter_async_context(self.engine.begin())
            else:
                await stack.enter_async_context(conn.begin())
                yield conn

    async def commit_page(
        self,
        conn: AsyncConnection,
        run_id: int,
        checkpoint: Checkpoint,
        page: MappedPage,
        retries: int,
        writing: asyncio.Event | None = None,
    ) -> PageCounts:
        """Upsert the page, quarantine its bad records, advance the checkpoint, count.

        ``writing`` is set once the page's keys are looked up and its rows go to the
        database (and in any case when this returns): the moment to start on the next.
        """
        try:
            return await self._commit_page(conn, run_id, checkpoint, page, retries, writing)
        finally:
            if writing is not None:
                writing.set()

    async def _commit_page(
        self,
        conn: AsyncConnection,
        run_id: int,
        checkpoint: Checkpoint,
        page: MappedPage,
        retries: int,
        writing: asyncio.Event | None,
    ) -> PageCounts:
        times, clock, writer = self.timings, time.perf_counter, self.writer
        dialect = conn.dialect
        async with self.transaction(conn):
            if self._postgres:  # also begins the transaction the driver's statements join
                await conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            driver = (await conn.get_raw_connection()).driver_connection
            started = clock()
            existing = await stored(driver, writer, checkpoint, page.good)
            looked = clock()
            if writing is not None:
                writing.set()
            inserted, updated, unchanged = await upsert(
                driver, writer, checkpoint, page.good, existing, _stamp(dialect, page.fetched_at)
            )
            await quarantine(conn, run_id, checkpoint, page.bad)
            written = clock()
            proposed = 0
            if page.next_state is None and checkpoint.mode == SyncMode.FULL:
                proposed = await propose_deletions(
                    conn, checkpoint.source, checkpoint.kind, checkpoint.pass_run_id, run_id
                )
            proposals = clock()
            await self._advance(driver, dialect, run_id, checkpoint, page)
            counts = (page.fetched, inserted, updated, unchanged, len(page.bad), retries, proposed)
            await writer.count(driver, run_id, counts)
            advanced = clock()
        committed = clock()
        times.lookup += looked - started
        times.write += written - looked
        times.deletions += proposals - written
        times.checkpoint += advanced - proposals
        times.commit += committed - advanced
        times.pages += 1
        times.records += page.fetched
        if self._postgres and inserted:
            await self._keep_statistics(inserted)
        return PageCounts(inserted, updated, unchanged, len(page.bad), proposed)

    async def _advance(
        self, driver: Any, dialect: Dialect, run_id: int, checkpoint: Checkpoint, page: MappedPage
    ) -> None:
        high = later(checkpoint.high_watermark, page.high_watermark)
        checkpoint.high_watermark = high
        stamp = _stamp(dialect, now())
        key = (checkpoint.source, checkpoint.resource)
        if page.next_state is None:
            await self.writer.finish(driver, key, (run_id, high, stamp, stamp, high))
        else:
            state = dumps({"paginator": checkpoint.tag, "at": page.next_state})
            await self.writer.move(driver, key, (run_id, high, stamp, state))

    async def _keep_statistics(self, inserted: int) -> None:
        """ANALYZE source_record each time it has doubled since the planner last looked."""
        self._inserted_since += inserted
        if self._rows_at_analyze is None:
            async with self.engine.connect() as conn:
                estimate = await conn.scalar(
                    text("SELECT reltuples FROM pg_class WHERE relname = 'source_record'")
                )
            self._rows_at_analyze = max(float(estimate or 0), 0.0)
        if self._inserted_since < max(1000.0, self._rows_at_analyze):
            return
        async with self.engine.connect() as conn:
            await conn.execute(text("ANALYZE source_record"))
            await conn.commit()
        self._rows_at_analyze += self._inserted_since
        self._inserted_since = 0
