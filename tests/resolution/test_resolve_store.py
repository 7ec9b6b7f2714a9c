"""``resolve_store`` end to end: the simulated platforms synced into a store, resolved
into residents and households, then re-resolved after changes. SQLite and PostgreSQL.

The simulators know each record's true ID number (``Dataset.truth``), so the test can
say whether a resident holds exactly one human's records.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import sync
from connectors.simulators import Dataset, derive, running
from resolution import resolve_store
from store import create_engine
from store.base import GridLevel
from store.migrate import upgrade
from store.models import (
    EventKind,
    Grid,
    Household,
    HouseholdMember,
    IdentityEvent,
    IdentityRun,
    MatchEdge,
    Resident,
    SourceRecord,
)
from store.seed import seed_demo
from tests.backends import throwaway_database
from tests.connectors.conftest import department_specs

RESIDENTS = 600
CODES = ("ga", "mz", "wj")


@pytest.fixture(scope="module", params=("sqlite", "postgres"))
def store_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path_factory.mktemp("resolve")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="module")
async def resolved(store_url: str) -> AsyncIterator[tuple[AsyncEngine, Dataset]]:
    dataset = derive(RESIDENTS, 5, CODES)
    engine = create_engine(store_url)
    await seed_demo(engine, residents=RESIDENTS, seed=5, people=False)
    async with running(codes=CODES, dataset=dataset) as urls:
        summaries = await sync(engine, department_specs(urls))
    assert all(s.status == "succeeded" for s in summaries)
    first = await resolve_store(engine)
    assert first.created == first.persons > 0 and first.merged == first.split == 0
    yield engine, dataset
    await engine.dispose()


async def _records(engine: AsyncEngine) -> list[Any]:
    query = select(
        SourceRecord.id, SourceRecord.source, SourceRecord.source_id, SourceRecord.resident_id
    ).where(SourceRecord.kind == "person", SourceRecord.deleted.is_(False))
    async with engine.connect() as conn:
        return list(await conn.execute(query))


async def _active(engine: AsyncEngine) -> set[int]:
    async with engine.connect() as conn:
        query = select(Resident.id).where(Resident.merged_into_id.is_(None))
        return set((await conn.execute(query)).scalars())


async def test_each_resident_holds_one_humans_records_and_each_human_is_one_resident(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, dataset = resolved
    truths = {code: dataset.truth(code) for code in CODES}
    humans_of: dict[int, set[str]] = defaultdict(set)
    residents_of: dict[str, set[int]] = defaultdict(set)
    for row in await _records(engine):
        if row.source not in truths:
            continue  # records added by later tests
        assert row.resident_id is not None, f"record {row.source}/{row.source_id} unassigned"
        human = truths[row.source][row.source_id]
        humans_of[row.resident_id].add(human)
        residents_of[human].add(row.resident_id)
    mixed = [r for r, humans in humans_of.items() if len(humans) > 1]
    assert mixed == []
    scattered = [h for h, residents in residents_of.items() if len(residents) > 1]
    assert len(scattered) <= len(residents_of) * 0.005, scattered[:5]


async def test_residents_have_provenance_grids_explanations_and_households_one_head(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, _ = resolved
    async with engine.connect() as conn:
        residents = list(await conn.execute(select(Resident.provenance, Grid.level).join(Grid)))
        heads = Counter(
            (
                await conn.execute(
                    select(HouseholdMember.household_id).where(HouseholdMember.relation == "户主")
                )
            ).scalars()
        )
        households = (await conn.execute(select(func.count(Household.id)))).scalar_one()
        explained = set((await conn.execute(select(MatchEdge.resident_id))).scalars())
    assert all(r.provenance["name"]["source"] in CODES for r in residents)
    placed = sum(r.level is GridLevel.GRID for r in residents)
    assert placed >= 0.9 * len(residents)
    assert households > 0 and set(heads.values()) == {1} and len(heads) == households
    multi = Counter(r.resident_id for r in await _records(engine))
    assert {resident for resident, count in multi.items() if count > 1} <= explained


async def test_a_second_run_changes_nothing_and_keeps_every_id(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, _ = resolved
    before = {r.id: r.resident_id for r in await _records(engine)}
    again = await resolve_store(engine)
    assert (again.created, again.merged, again.split, again.retired) == (0, 0, 0, 0)
    assert again.changed == 0 and again.records_moved == 0 and not again.retrained
    assert {r.id: r.resident_id for r in await _records(engine)} == before


async def test_after_one_percent_changed_only_those_persons_are_rewritten(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, _ = resolved
    rows = [r for r in await _records(engine) if r.source == "wj"]
    touched = rows[:: max(1, len(rows) // max(1, len(rows) // 100))][: max(1, len(rows) // 100)]
    async with engine.begin() as conn:
        for index, row in enumerate(touched):
            record = (
                await conn.execute(select(SourceRecord.record).where(SourceRecord.id == row.id))
            ).scalar_one()
            changed = {**record, "phone": f"1390000{index:04d}"}
            await conn.execute(
                update(SourceRecord)
                .where(SourceRecord.id == row.id)
                .values(record=changed, fetched_at=datetime.now(UTC))
            )
    run = await resolve_store(engine)
    assert 0 < run.changed <= len(touched)
    assert (run.created, run.merged, run.split, run.records_moved) == (0, 0, 0, 0)


async def test_a_new_record_of_a_known_person_joins_them_and_a_stranger_is_created(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, _ = resolved
    async with engine.connect() as conn:
        known = (
            await conn.execute(
                select(Resident.id, Resident.name, Resident.id_number, Resident.birth_date)
                .where(Resident.id_number.is_not(None), Resident.merged_into_id.is_(None))
                .order_by(Resident.id)
                .limit(1)
            )
        ).one()
    new = [
        ("cadre", "c-1", {"name": known.name, "id_number": known.id_number}),
        ("cadre", "c-2", {"name": "欧阳测试", "id_number": "110101199003074115"}),
    ]
    async with engine.begin() as conn:
        await conn.execute(
            insert(SourceRecord),
            [
                {"source": s, "source_id": i, "kind": "person", "payload": r, "record": r,
                 "content_hash": i, "deleted": False}
                for s, i, r in new
            ],
        )  # fmt: skip
    run = await resolve_store(engine)
    assert run.created == 1 and run.records_moved == 2
    owners = {r.source_id: r.resident_id for r in await _records(engine) if r.source == "cadre"}
    assert owners["c-1"] == known.id
    assert owners["c-2"] not in (None, known.id)


async def test_a_resident_whose_records_all_vanish_is_retired_with_an_event(
    resolved: tuple[AsyncEngine, Dataset],
) -> None:
    engine, _ = resolved
    victim = next(r.resident_id for r in await _records(engine) if r.source == "mz")
    async with engine.begin() as conn:
        await conn.execute(
            update(SourceRecord).where(SourceRecord.resident_id == victim).values(deleted=True)
        )
    run = await resolve_store(engine)
    assert run.retired == 1
    async with engine.connect() as conn:
        event = (
            await conn.execute(
                select(IdentityEvent.kind).where(
                    IdentityEvent.resident_id == victim, IdentityEvent.run_id == run.run_id
                )
            )
        ).scalar_one()
        status = (
            await conn.execute(select(IdentityRun.status).where(IdentityRun.id == run.run_id))
        ).scalar_one()
    assert event is EventKind.RETIRED
    assert status.value == "succeeded"
    assert victim in await _active(engine)  # kept for the cadres, never deleted silently
