"""The store side of a page, on each backend: the key lookup is served by the unique
index, a page's records and checkpoint commit together or not at all (the driver-level
statements and PostgreSQL's COPY included), and a sync reports where its time went."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import Spec, load_specs, map_page, runs, sync
from connectors.pages import Fetched
from connectors.pipeline import Progress, run_pass
from connectors.staging import MappedPage, Staging, Timings
from connectors.writers import STORED_ANY, Writer, numbered, stored_in, writer_for
from store.models import SourceRecord, SyncCheckpoint, SyncRun
from store.models.sync import SyncMode
from tests.connectors.conftest import count, stored
from tests.connectors.fakes import FakeDepartment, people, serving
from tests.connectors.test_paging_auth import make_spec


def ga_persons() -> Spec:
    return load_specs(env={"YIWANG_GA_URL": "http://127.0.0.1:9"})["ga"]


def ga_page(first: int, size: int, last: bool) -> Fetched:
    records = [
        {"rybh": f"GA{n:08d}", "xm": f"人{n}", "xb": "1", "csrq": "19540523", "hh": "H1"}
        for n in range(first, first + size)
    ]
    following = None if last else {"offset": first + size}
    return Fetched("offset=0", records, following, None, datetime.now(UTC), floats=False)


async def begin(engine: AsyncEngine, staging: Staging) -> tuple[int, runs.Checkpoint]:
    resource = ga_persons().resources["persons"]
    run_id = await runs.start_run(engine, "ga", SyncMode.FULL)
    async with staging.transaction() as conn:
        checkpoint = await runs.begin_pass(conn, "ga", resource, run_id, True)
    return run_id, checkpoint


async def test_the_key_lookup_is_served_by_the_unique_index(staging: AsyncEngine) -> None:
    """Given a source with some records and fresh planner statistics,
    when the lookup of a page's keys is explained, then it uses (source, kind, source_id)."""
    store = Staging(staging)
    run_id, checkpoint = await begin(staging, store)
    resource = ga_persons().resources["persons"]
    async with store.connection() as conn:
        page = map_page(resource, ga_page(1, 2000, last=False))
        await store.commit_page(conn, run_id, checkpoint, page, 0)
    keys = ["GA00000007", "GA00000042", "GA00001999"]
    async with staging.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        if staging.dialect.name == "sqlite":
            explain = f"EXPLAIN QUERY PLAN {stored_in(3)}"
            plan = str(await driver.execute_fetchall(explain, ("ga", "person", *keys)))
            assert "USING INDEX sqlite_autoindex_source_record_1" in plan, plan
        else:
            await driver.execute("ANALYZE source_record")
            rows = await driver.fetch(f"EXPLAIN {STORED_ANY}", "ga", "person", keys)
            plan = "\n".join(row[0] for row in rows)
            assert "uq_source_record_source" in plan, plan
    found = await writer_for(staging.dialect.name).stored(driver, "ga", "person", keys)
    assert sorted(found) == keys


async def test_a_page_commits_its_records_and_checkpoint_together_or_not_at_all(
    staging: AsyncEngine,
) -> None:
    store = Staging(staging)
    run_id, checkpoint = await begin(staging, store)
    resource = ga_persons().resources["persons"]
    page: MappedPage = map_page(resource, ga_page(1, 600, last=False))
    healthy: Writer = store.writer
    store.writer = _failing(healthy)
    async with store.connection() as conn:
        with pytest.raises(RuntimeError, match="died here"):
            await store.commit_page(conn, run_id, checkpoint, page, 0)
    assert await count(staging, SourceRecord) == 0
    async with staging.connect() as conn:
        mark = (await conn.execute(select(SyncCheckpoint.pages, SyncCheckpoint.state))).one()
    assert mark.pages == 0 and mark.state["at"] == {"offset": 0}

    store.writer = healthy
    async with store.connection() as conn:
        counts = await store.commit_page(conn, run_id, checkpoint, page, 2)
    assert (counts.inserted, counts.unchanged) == (600, 0)
    assert await count(staging, SourceRecord) == 600
    async with staging.connect() as conn:
        mark = (await conn.execute(select(SyncCheckpoint.pages, SyncCheckpoint.state))).one()
        run = (await conn.execute(select(SyncRun).where(SyncRun.id == run_id))).one()
    assert mark.pages == 1 and mark.state["at"] == {"offset": 601}
    assert (run.pages, run.fetched, run.inserted, run.retries) == (1, 600, 600, 2)


def _failing(writer: Writer) -> Writer:
    base = type(writer)

    class Failing(base):  # type: ignore[valid-type,misc]
        async def count(self, driver: Any, run_id: int, counts: Sequence[int]) -> None:
            raise RuntimeError("the process died here")

    return Failing()


async def test_the_same_page_twice_changes_nothing_and_a_changed_record_is_updated(
    staging: AsyncEngine,
) -> None:
    store = Staging(staging)
    run_id, checkpoint = await begin(staging, store)
    resource = ga_persons().resources["persons"]
    fetched = ga_page(1, 50, last=False)
    async with store.connection() as conn:
        await store.commit_page(conn, run_id, checkpoint, map_page(resource, fetched), 0)
        again = await store.commit_page(conn, run_id, checkpoint, map_page(resource, fetched), 0)
        fetched.records[3]["xm"] = "改名"
        changed = await store.commit_page(conn, run_id, checkpoint, map_page(resource, fetched), 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 50)
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 1, 49)
    async with staging.connect() as conn:
        row = (
            await conn.execute(select(SourceRecord).where(SourceRecord.source_id == "GA00000004"))
        ).one()
    assert row.payload["xm"] == "改名" and row.record["name"] == "改名"
    assert row.content_hash == resource.mapping.content_hash(fetched.records[3])


async def test_a_sync_reports_the_time_of_each_stage(staging: AsyncEngine) -> None:
    department = FakeDepartment(people(30))
    timings = Timings()
    async with serving(department):
        [summary] = await sync(staging, [make_spec(department.url)], timings=timings)
    assert summary.status == "succeeded" and summary.fetched == 30
    assert (timings.records, timings.pages) == (30, 8)
    assert min(timings.map, timings.lookup, timings.write, timings.commit) > 0


def test_placeholders_are_numbered_for_postgresql() -> None:
    assert numbered("UPDATE t SET a = ?, b = ? WHERE id = ?") == (
        "UPDATE t SET a = $1, b = $2 WHERE id = $3"
    )


async def test_a_pass_stops_at_the_first_page_that_fails_to_commit(staging: AsyncEngine) -> None:
    """Given five pages whose third fails to commit, when the pass runs (each page mapped
    while the one before is written), then pages one and two are stored and counted,
    nothing after them, and the error comes out."""
    store = Staging(staging)
    run_id, checkpoint = await begin(staging, store)
    healthy = store.writer
    calls = 0

    class FailsThird(type(healthy)):  # type: ignore[misc]
        async def count(self, driver: Any, run_id: int, counts: Sequence[int]) -> None:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise RuntimeError("disk full")
            await super().count(driver, run_id, counts)

    store.writer = FailsThird()
    reported: list[Progress] = []

    async def pages() -> AsyncGenerator[Fetched, None]:
        for n in range(5):
            yield ga_page(1 + 100 * n, 100, last=n == 4)

    with pytest.raises(RuntimeError, match="disk full"):
        await run_pass(store, pages(), ga_persons(), checkpoint, run_id, lambda: 0, reported.append)
    assert [p.pages for p in reported] == [1, 2]
    rows = await stored(staging, "ga", "person")
    assert sorted(rows) == [f"GA{n:08d}" for n in range(1, 201)]
    async with staging.connect() as conn:
        mark = (await conn.execute(select(SyncCheckpoint.pages, SyncCheckpoint.state))).one()
    assert mark.pages == 2 and mark.state["at"] == {"offset": 201}
