"""One resource's pass: fetch a page, map it, commit it, strictly in page order.

Pages are fetched ahead (``pages``: up to ``concurrency`` requests in flight), and the
next page is mapped while the current one is being written: once the current page's
keys are looked up and its rows go to the database (``Staging.commit_page`` sets
``writing``), mapping the next one starts, in slices of ``SLICE`` records with a yield
to the event loop in between, so the write's round trips are answered promptly.
Waiting for that moment matters: mapping from the start of the commit would delay each
of its round trips by a slice, and the database would sit idle while the next page is
mapped. On PostgreSQL the server then inserts while this process maps (a third faster
than one after the other on two cores); on SQLite the driver's thread and the mapping
mostly take turns holding the GIL, so there it neither gains nor loses.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from connectors import runs
from connectors.canonical import canonical_json, canonical_json_without_floats
from connectors.mapping import RecordError, lookup
from connectors.pages import Fetched
from connectors.runs import Checkpoint
from connectors.spec import Resource, Spec
from connectors.staging import MappedPage, PageCounts, Staging
from connectors.upsert import Bad, Good

SLICE = 50  # records mapped between two yields to the event loop


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


async def run_pass(
    staging: Staging,
    pages: AsyncGenerator[Fetched, None],
    spec: Spec,
    checkpoint: Checkpoint,
    run_id: int,
    take_retries: Callable[[], int],
    progress: ProgressCallback | None,
) -> None:
    """Commit the resource's pages in order, each with the checkpoint after it."""
    resource = spec.resources[checkpoint.resource]
    times, clock = staging.timings, time.perf_counter
    count, fetched, total = 0, 0, None
    committing: tuple[Fetched, asyncio.Task[PageCounts]] | None = None
    writing = asyncio.Event()
    writing.set()

    async def settle() -> None:
        """Wait for the page being committed, and report it."""
        nonlocal committing, count, fetched, total
        if committing is None:
            return
        (page, task), committing = committing, None
        await task
        count, fetched = count + 1, fetched + len(page.records)
        total = page.total if page.total is not None else total
        if progress is not None:
            progress(Progress(spec.code, resource.name, count, fetched, total, False))

    async with staging.connection() as conn:
        try:
            while True:
                started = clock()
                page = await anext(pages, None)
                times.wait += clock() - started
                if page is None:
                    break
                await writing.wait()  # the page being committed is on its way
                started = clock()
                mapped = await map_page_sliced(resource, page)
                times.map += clock() - started
                await settle()
                writing = asyncio.Event()
                commit = staging.commit_page(
                    conn, run_id, checkpoint, mapped, take_retries(), writing
                )
                committing = (page, asyncio.ensure_future(commit))
            await settle()
        except BaseException:
            if committing is not None:  # a page on its way commits (or fails) as a whole
                await asyncio.gather(committing[1], return_exceptions=True)
            raise
    if progress is not None:
        progress(Progress(spec.code, resource.name, count, fetched, total, True))


def map_page(resource: Resource, page: Fetched) -> MappedPage:
    """Split a page into good records (mapped, hashed) and bad ones (with the reason)."""
    mapped = MappedPage(page.label, len(page.records), page.fetched_at, next_state=page.next_state)
    for _ in _map_records(resource, page, mapped, len(page.records) + 1):
        pass
    return mapped


async def map_page_sliced(resource: Resource, page: Fetched) -> MappedPage:
    """``map_page``, yielding to the event loop every ``SLICE`` records."""
    mapped = MappedPage(page.label, len(page.records), page.fetched_at, next_state=page.next_state)
    for _ in _map_records(resource, page, mapped, SLICE):
        await asyncio.sleep(0)
    return mapped


def _map_records(
    resource: Resource, page: Fetched, mapped: MappedPage, every: int
) -> Iterator[None]:
    """Fill ``mapped`` from the page's records, pausing (yield) after every ``every``."""
    mapping = resource.mapping
    canonical = canonical_json if page.floats else canonical_json_without_floats
    hasher, source_id_of, apply = mapping.hasher, mapping.source_id, mapping.apply
    good, bad = mapped.good.append, mapped.bad.append
    cursor = resource.incremental.cursor_field if resource.incremental else None
    high: tuple[datetime, str] | None = None
    for index, raw in enumerate(page.records, 1):
        text = canonical(raw)
        digest = hasher(text)
        source_id = None
        try:
            source_id = source_id_of(raw)
            record = apply(raw)
        except RecordError as exc:
            label = page.row_labels[index - 1] if page.row_labels else page.label
            bad(Bad(source_id, exc.field, exc.reason, raw, digest, label))
        else:
            good(Good(source_id, raw, record, digest, text))
        if cursor is not None:
            value = lookup(raw, cursor)
            moment = runs.parse_instant(value)
            if moment is not None and (high is None or moment > high[0]):
                high = (moment, str(value))
        if index % every == 0:
            mapped.high_watermark = high[1] if high else None
            yield
    mapped.high_watermark = high[1] if high else None
