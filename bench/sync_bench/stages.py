"""Where a sync's time goes per record: the pipeline taken apart, one stage at a time.

A sync overlaps its stages (pages are fetched ahead, and on PostgreSQL the next page is
mapped while the current one is stored), so its elapsed time does not say what each
stage costs. Here the same work runs with nothing overlapping: a page is fetched (one
request at a time), its records are hashed, then mapped (each timed on its own), then
``map_page`` builds what ``Staging.commit_page`` stores, and the staging's own timings
split the store's part into lookup, write, checkpoint, deletions and commit.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import Spec, map_page, runs
from connectors.canonical import canonical_json, canonical_json_without_floats
from connectors.http import SourceClient
from connectors.mapping import RecordError
from connectors.pages import rest_pages
from connectors.staging import Staging, Timings
from store.models.sync import RunStatus, SyncMode

STAGES = ("fetch", "hash", "map", "build", "lookup", "write", "checkpoint", "deletions", "commit")


@dataclass
class StageRun:
    """Seconds per stage over one pass; ``build`` is ``map_page`` beyond hash and map
    (the per-record objects the store takes)."""

    records: int = 0
    seconds: dict[str, float] = dataclasses.field(
        default_factory=lambda: dict.fromkeys(STAGES, 0.0)
    )

    def micros(self, stage: str) -> float:
        return self.seconds[stage] / max(self.records, 1) * 1e6


async def stage_run(engine: AsyncEngine, spec: Spec) -> StageRun:
    """One full pass of the spec's only resource into ``engine``, stage by stage."""
    [resource] = spec.resources.values()
    mapping, clock = resource.mapping, time.perf_counter
    one_at_a_time = dataclasses.replace(spec, concurrency=1)
    timings = Timings()
    staging = Staging(engine, timings)
    run_id = await runs.start_run(engine, spec.code, SyncMode.FULL)
    async with staging.transaction() as conn:
        checkpoint = await runs.begin_pass(conn, spec.code, resource, run_id, True)
    result = StageRun()
    seconds = result.seconds
    async with aiohttp.ClientSession() as session, staging.connection() as conn:
        client = SourceClient(session, one_at_a_time, lambda: None)
        pages = rest_pages(client, one_at_a_time, resource, checkpoint.state or {}, None)
        while True:
            started = clock()
            page = await anext(pages, None)
            seconds["fetch"] += clock() - started
            if page is None:
                break
            canonical = canonical_json if page.floats else canonical_json_without_floats
            started = clock()
            for raw in page.records:
                mapping.hasher(canonical(raw))
            hashed = clock()
            for raw in page.records:
                try:
                    mapping.source_id(raw)
                    mapping.apply(raw)
                except RecordError:
                    pass
            mapped = clock()
            ready = map_page(resource, page)
            built = clock()
            seconds["hash"] += hashed - started
            seconds["map"] += mapped - hashed
            seconds["build"] += max(0.0, (built - mapped) - (mapped - started))
            await staging.commit_page(conn, run_id, checkpoint, ready, 0)
            result.records += len(page.records)
    await runs.finish_run(engine, run_id, RunStatus.SUCCEEDED, None, 0)
    for stage in ("lookup", "write", "checkpoint", "deletions", "commit"):
        seconds[stage] = getattr(timings, stage)
    return result
