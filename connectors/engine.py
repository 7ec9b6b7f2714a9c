"""The sync engine: one interpreter for every spec, REST or ledger.

``sync`` opens one aiohttp session for the run and syncs the given sources side by side.
For each source it records a run, then walks each resource from its checkpoint
(``pipeline``): fetch a page (``pages`` / ``files``), map and validate its records
(``mapping``), and commit the good ones, the quarantined ones and the next checkpoint
together (``staging``). A page that stays broken after the retries fails the source's
run with a message naming source, resource and page; everything committed before it
stays, and the next run resumes there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Iterable, Mapping

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import runs
from connectors.files import LedgerError, ledger_pages
from connectors.http import FetchError, SourceClient
from connectors.pages import Fetched, rest_pages
from connectors.pipeline import Progress, ProgressCallback, map_page, run_pass
from connectors.runs import Checkpoint, RunSummary
from connectors.spec import Spec
from connectors.staging import Staging, Timings
from store.models.sync import RunStatus, SyncMode

__all__ = ["Progress", "ProgressCallback", "map_page", "sync"]


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
    timings: Timings | None = None,
) -> list[RunSummary]:
    """Sync the given sources into the store, one run each, side by side.

    ``full`` forces a snapshot pass (with deletion detection) even where an incremental
    cursor exists. A failing source does not stop the others; its summary says failed.
    ``timings``, when given, collects the seconds spent per stage over all sources.
    """
    chosen = list(specs.values()) if isinstance(specs, Mapping) else list(specs)
    staging = Staging(engine, timings)
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
    client: SourceClient, spec: Spec, checkpoint: Checkpoint
) -> AsyncGenerator[Fetched, None]:
    resource = spec.resources[checkpoint.resource]
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
    async with contextlib.aclosing(_pages(client, spec, checkpoint)) as pages:
        await run_pass(staging, pages, spec, checkpoint, run_id, retries.take, progress)
