"""End to end against the simulated department platforms: the staging area ends equal
to each source, incrementally, under faults, and with malformed records quarantined."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import list_quarantine, source_status, sync
from connectors.simulators import Dataset, Faults, running
from store.models import QuarantinedRecord, SourceRecord
from tests.connectors.conftest import (
    admin,
    assert_equals_source,
    count,
    department_specs,
    paged,
    snapshot,
    stored,
)

RESOURCES = {"ga": ("persons", "households"), "mz": ("jzxx",), "wj": ("residents",)}


async def test_a_sync_ends_equal_to_every_source_and_a_second_changes_nothing(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(codes=RESOURCES, dataset=sim_dataset) as urls:
        specs = department_specs(urls)
        first = await sync(staging, specs)
        assert [s.status for s in first] == ["succeeded"] * 3, [s.error for s in first]
        for code, resources in RESOURCES.items():
            for resource in resources:
                truth = await snapshot(urls[code], resource)
                await assert_equals_source(staging, specs[code], resource, truth)
        before = {r.id: r.fetched_at for r in (await stored(staging, "ga", "person")).values()}

        second = await sync(staging, specs)
    assert all(s.status == "succeeded" for s in second)
    assert [(s.inserted, s.updated, s.quarantined) for s in second] == [(0, 0, 0)] * 3
    assert sum(s.unchanged for s in second) == sum(s.fetched for s in second) > 0
    after = {r.id: r.fetched_at for r in (await stored(staging, "ga", "person")).values()}
    assert after == before  # an unchanged record is not rewritten


async def test_the_mapped_record_is_kept_beside_the_payload(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(codes=("mz",), dataset=sim_dataset) as urls:
        await sync(staging, department_specs(urls))
        truth = await snapshot(urls["mz"], "jzxx")
    rows = await stored(staging, "mz", "person")
    poor = next(k for k, r in truth["records"].items() if r["dbbz"] == "1")
    record = rows[poor].record
    assert "低保" in record["tags"]
    assert record["gender"] in ("male", "female")
    assert len(record["birth_date"]) == 10 and record["birth_date"][4] == "-"
    assert record["extras"]["updated_at"].startswith("20")


async def test_an_incremental_sync_fetches_only_the_changes(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(codes=("wj",), dataset=sim_dataset) as urls:
        specs = department_specs(urls)
        [first] = await sync(staging, specs)
        assert first.mode == "full" and first.fetched > 300

        changes = await admin(urls["wj"], "/_admin/mutate", {"update": 5, "insert": 3})
        [second] = await sync(staging, specs)
        assert second.mode == "incremental", second
        assert second.inserted == 3 and second.updated == 5
        # the lag window asks again for a few records changed just before the last mark
        assert second.fetched < 30 and second.fetched < first.fetched / 10
        await assert_equals_source(
            staging, specs["wj"], "residents", await snapshot(urls["wj"], "residents")
        )
        rows = await stored(staging, "wj", "person")
        assert set(changes["inserted"]) <= set(rows)

        [third] = await sync(staging, specs)
    assert third.mode == "incremental" and third.inserted == third.updated == 0
    assert third.fetched <= 8 + second.fetched


async def test_with_errors_timeouts_and_429_the_staging_area_still_equals_the_source(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    faults = Faults(
        error_rate=0.3,
        timeout_rate=0.05,
        hang_seconds=3,
        rate_limit_every=9,
        truncated_rate=0.03,
        non_json_rate=0.03,
    )
    async with running(codes=RESOURCES, dataset=sim_dataset, faults=faults) as urls:
        specs = {
            code: paged(spec, 60) for code, spec in department_specs(urls, timeout=0.5).items()
        }
        summaries = await sync(staging, specs)
        assert [s.status for s in summaries] == ["succeeded"] * 3, [s.error for s in summaries]
        assert all(s.retries > 0 for s in summaries)
        for code, resources in RESOURCES.items():
            for resource in resources:
                truth = await snapshot(urls[code], resource)
                await assert_equals_source(staging, specs[code], resource, truth)


async def test_malformed_records_are_quarantined_once_and_the_sync_goes_on(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(
        codes=RESOURCES, dataset=sim_dataset, faults=Faults(malformed_rate=0.03)
    ) as urls:
        specs = department_specs(urls)
        first = await sync(staging, specs)
        assert all(s.status == "succeeded" for s in first), [s.error for s in first]
        expected = 0
        for code, resources in RESOURCES.items():
            for resource in resources:
                truth = await snapshot(urls[code], resource)
                await assert_equals_source(staging, specs[code], resource, truth)
                kind = specs[code].resources[resource].kind
                async with staging.connect() as conn:
                    keys = {
                        row.source_id
                        for row in await conn.execute(
                            select(QuarantinedRecord.source_id).where(
                                QuarantinedRecord.source == code, QuarantinedRecord.kind == kind
                            )
                        )
                    }
                malformed = set(truth["malformed"])
                assert len(truth["malformed"]) == await count(
                    staging, QuarantinedRecord, source=code, kind=kind
                )
                assert keys - {None} <= malformed
                expected += len(malformed)
        assert expected > 10 and sum(s.quarantined for s in first) == expected

        second = await sync(staging, specs, full=True)
    assert sum(s.quarantined for s in second) == expected  # seen again, counted again …
    assert await count(staging, QuarantinedRecord) == expected  # … but kept once
    entries = await list_quarantine(staging, limit=1000)
    assert {e.field for e in entries} >= {"rybh", "birth_date"}
    assert all(e.reason and e.page and e.payload for e in entries)
    statuses = {s.code: s for s in await source_status(staging, specs)}
    assert sum(s.quarantined for s in statuses.values()) == expected
    assert await count(staging, SourceRecord) == sum(s.records for s in statuses.values())


async def test_records_changing_between_pages(staging: AsyncEngine, sim_dataset: Dataset) -> None:
    async with running(
        codes=RESOURCES, dataset=sim_dataset, faults=Faults(drift_per_page=4)
    ) as urls:
        specs = {code: paged(spec, 100) for code, spec in department_specs(urls).items()}
        first = await sync(staging, specs)
        assert all(s.status == "succeeded" for s in first), [s.error for s in first]
        # the cursor walk of wj (ordered by update time) picks changed records up later on
        truth = await snapshot(urls["wj"], "residents")
        await assert_equals_source(staging, specs["wj"], "residents", truth)
        for url in urls.values():
            await admin(url, "/_admin/faults", {"drift_per_page": 0})
        second = await sync(staging, specs)
        assert sum(s.updated for s in second) > 0  # what offset and page walks had missed
        for code, resources in RESOURCES.items():
            for resource in resources:
                truth = await snapshot(urls[code], resource)
                await assert_equals_source(staging, specs[code], resource, truth)
