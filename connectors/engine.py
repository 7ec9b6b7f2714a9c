"""The sync engine: one interpreter for every spec, REST or ledger.

``sync`` opens one aiohttp session for the run and syncs the given sources side by side.
For each source it records a run, then walks each resource from its checkpoint: fetch a
page (``pages`` / ``files``), map and validate its records (``mapping``), and commit the
good ones, the quarantined ones and the next checkpoint together (``staging``). A page
that stays broken after the retries fails the source's run with a message naming
source, resource and page; everything committed before it stays, and the next run
resumes there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import runs
from connectors.files import LedgerError, ledger_pages
from connectors.http import FetchError, SourceClient
from connectors.mapping import RecordError, lookup
from connectors.pages import Fetched, rest_pages
from connectors.runs import Checkpoint, RunSummary
from connectors.spec import Resource, Spec
from connectors.staging import MappedPage, Staging
from connectors.upsert import Bad, Good
from store.models.sync import RunStatus, SyncMode


@dataclass(frozen=True)
class Progress:
    """Reported after every committed page, and once when a resource is done."""

    source: str
    resource: str
    pages: int
    fetched: int
    total: int | None
    done: bool


ProgressCallback = Callable[[Progress], None]


class _Retries:
    """Retries of one source, counted by the retry policy and flushed with each page."""

    def __init__(self) -> None:
        self.pending = 0

    def add(self) -> None:
        self.pending += 1

    def take(self) -> int:
        taken, self.pending = self.pending, 0
        return taken


async def sync(
    engine: AsyncEngine,
    specs: Mapping[str, Spec] | Iterable[Spec],
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
) -> list[RunSummary]:
    """Sync the given sources into the store, one run each, side by side.

    ``full`` forces a snapshot pass (with deletion detection) even where an incremental
    cursor exists. A failing source does not stop the others; its summary says failed.
    """
    chosen = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    staging = Staging(engine)
    connector = aiohttp.TCPConnector(limit=max(10, sum(s.concurrency for s in chosen)))
    async with aiohttp.ClientSession(connector=connector) as session:
        return list(
            await asyncio.gather(
                *(_sync_source(staging, session, spec, full, progress) for spec in chosen)
            )
        )


async def _sync_source(
    staging: Staging,
    session: aiohttp.ClientSession,
    spec: Spec,
    full: bool,
    progress: ProgressCallback | None,
) -> RunSummary:
    engine = staging.engine
    run_id = await runs.start_run(
        engine, spec.code, SyncMode.FULL if full else SyncMode.INCREMENTAL
    )
    retries = _Retries()
    client = SourceClient(session, spec, retries.add)
    status, error = RunStatus.SUCCEEDED, None
    try:
        async with staging.transaction() as conn:
            passes = [
                await runs.begin_pass(conn, spec.code, resource, run_id, full)
                for resource in spec.resources.values()
            ]
        incremental = any(p.mode == SyncMode.INCREMENTAL for p in passes)
        await runs.set_mode(engine, run_id, SyncMode.INCREMENTAL if incremental else SyncMode.FULL)
        outcomes = await asyncio.gather(
            *(_sync_resource(staging, client, spec, p, run_id, retries, progress) for p in passes),
            return_exceptions=True,
        )
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            status, error = RunStatus.FAILED, "; ".join(_describe(f) for f in failures)
    except asyncio.CancelledError:
        await runs.finish_run(engine, run_id, RunStatus.INTERRUPTED, "cancelled", retries.take())
        raise
    except Exception as exc:  # a store or programming error: record it, report it
        status, error = RunStatus.FAILED, _describe(exc)
    await runs.finish_run(engine, run_id, status, error, retries.take())
    return await runs.summary(engine, run_id)


def _describe(error: BaseException) -> str:
    if isinstance(error, FetchError | LedgerError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _pages(
    client: SourceClient, spec: Spec, resource: Resource, checkpoint: Checkpoint
) -> AsyncGenerator[Fetched, None]:
    state = checkpoint.state or {}
    if resource.ledger is not None:
        return ledger_pages(spec, resource, state)
    return rest_pages(client, spec, resource, state, checkpoint.since)


async def _sync_resource(
    staging: Staging,
    client: SourceClient,
    spec: Spec,
    checkpoint: Checkpoint,
    run_id: int,
    retries: _Retries,
    progress: ProgressCallback | None,
) -> None:
    """Commit the resource's pages in order while the next ones are fetched and mapped."""
    resource = spec.resources[checkpoint.resource]
    pages = fetched = 0
    total: int | None = None
    ready: asyncio.Queue[tuple[Fetched, MappedPage] | BaseException | None] = asyncio.Queue(2)

    async def fetch_and_map() -> None:
        try:
            async with contextlib.aclosing(_pages(client, spec, resource, checkpoint)) as walk:
                async for page in walk:
                    await ready.put((page, map_page(resource, page)))
            await ready.put(None)
        except Exception as exc:  # handed to the committer, which raises it
            await ready.put(exc)

    producer = asyncio.create_task(fetch_and_map())
    try:
        while (item := await ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            page, mapped = item
            await staging.commit_page(run_id, checkpoint, mapped, retries.take())
            pages, fetched = pages + 1, fetched + len(page.records)
            total = page.total if page.total is not None else total
            if progress is not None:
                progress(Progress(spec.code, resource.name, pages, fetched, total, False))
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
    if progress is not None:
        progress(Progress(spec.code, resource.name, pages, fetched, total, True))


def map_page(resource: Resource, page: Fetched) -> MappedPage:
    """Split a page into good records (mapped, hashed) and bad ones (with the reason)."""
    mapping = resource.mapping
    mapped = MappedPage(page.label, len(page.records), page.fetched_at, next_state=page.next_state)
    cursor = resource.incremental.cursor_field if resource.incremental else None
    high: tuple[datetime, str] | None = None
    for index, raw in enumerate(page.records):
        text, digest = mapping.digest(raw)
        source_id = None
        try:
            source_id = mapping.source_id(raw)
            record = mapping.apply(raw)
        except RecordError as exc:
            label = page.row_labels[index] if page.row_labels else page.label
            mapped.bad.append(Bad(source_id, exc.field, exc.reason, raw, digest, label))
        else:
            mapped.good.append(Good(source_id, raw, record, digest, text))
        if cursor is not None:
            value = lookup(raw, cursor)
            moment = runs.parse_instant(value)
            if moment is not None and (high is None or moment > high[0]):
                high = (moment, str(value))
    mapped.high_watermark = high[1] if high else None
    return mapped
