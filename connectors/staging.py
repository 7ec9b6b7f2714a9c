"""Writing one page: records, quarantine, checkpoint and run counters in one transaction.

This is what makes a crash harmless: the checkpoint only moves together with the page's
records, so a restarted sync asks again for exactly the first page not committed, and
the upsert by (source, kind, source_id) with a content hash makes a page seen twice
change nothing. On SQLite, writers take turns through one lock instead of waiting on
the database's busy timeout. On PostgreSQL, a bulk load into a young table is followed
by ANALYZE now and then: with statistics that still say "empty", the planner would scan
every row of the source to look up each page's keys.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.deletions import propose_deletions
from connectors.runs import Checkpoint, later, now
from connectors.upsert import Bad, Good, quarantine, upsert
from store.models import SyncCheckpoint, SyncRun
from store.models.sync import SyncMode


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


class Staging:
    """The store side of a sync."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._analyze = engine.dialect.name == "postgresql"
        self._rows_at_analyze: float | None = None
        self._inserted_since = 0

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        async with contextlib.AsyncExitStack() as stack:
            if self._lock is not None:
                await stack.enter_async_context(self._lock)
            yield await stack.enter_async_context(self.engine.begin())

    async def commit_page(
        self, run_id: int, checkpoint: Checkpoint, page: MappedPage, retries: int
    ) -> PageCounts:
        """Upsert the page, quarantine its bad records, advance the checkpoint, count."""
        async with self.transaction() as conn:
            inserted, updated, unchanged = await upsert(
                conn, checkpoint, page.good, page.fetched_at
            )
            await quarantine(conn, run_id, checkpoint, page.bad)
            proposed = 0
            done = page.next_state is None
            if done and checkpoint.mode == SyncMode.FULL:
                proposed = await propose_deletions(
                    conn, checkpoint.source, checkpoint.kind, checkpoint.pass_run_id, run_id
                )
            await _advance(conn, run_id, checkpoint, page)
            await conn.execute(
                update(SyncRun)
                .where(SyncRun.id == run_id)
                .values(
                    pages=SyncRun.pages + 1,
                    fetched=SyncRun.fetched + page.fetched,
                    inserted=SyncRun.inserted + inserted,
                    updated=SyncRun.updated + updated,
                    unchanged=SyncRun.unchanged + unchanged,
                    quarantined=SyncRun.quarantined + len(page.bad),
                    retries=SyncRun.retries + retries,
                    proposed_deletions=SyncRun.proposed_deletions + proposed,
                )
            )
        if self._analyze and inserted:
            await self._keep_statistics(inserted)
        return PageCounts(inserted, updated, unchanged, len(page.bad), proposed)

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


async def _advance(
    conn: AsyncConnection, run_id: int, checkpoint: Checkpoint, page: MappedPage
) -> None:
    high = later(checkpoint.high_watermark, page.high_watermark)
    checkpoint.high_watermark = high
    values: dict[str, Any] = {
        "run_id": run_id,
        "high_watermark": high,
        "pages": SyncCheckpoint.pages + 1,
        "updated_at": now(),
    }
    if page.next_state is None:
        values.update(state=None, completed_at=now())
        if high is not None:
            values["watermark"] = high
    else:
        values["state"] = {"paginator": checkpoint.tag, "at": page.next_state}
    await conn.execute(
        update(SyncCheckpoint)
        .where(
            SyncCheckpoint.source == checkpoint.source,
            SyncCheckpoint.resource == checkpoint.resource,
        )
        .values(**values)
    )
