"""Records that vanish from a full snapshot are proposed for deletion, never deleted
silently; a person confirms or rejects; a record that comes back withdraws its proposal."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors import (
    DeletionError,
    confirm_deletion,
    list_deletions,
    reject_deletion,
    source_status,
    sync,
)
from connectors.simulators import Dataset, running
from tests.connectors.conftest import admin, department_specs, snapshot, stored
from tests.connectors.fakes import FakeDepartment, people, serving
from tests.connectors.test_paging_auth import make_spec


async def test_vanished_records_wait_for_a_person(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(codes=("ga",), dataset=sim_dataset) as urls:
        specs = department_specs(urls)
        await sync(staging, specs)
        gone = (await admin(urls["ga"], "/_admin/mutate", {"delete": 4}))["deleted"]
        [summary] = await sync(staging, specs)
        assert summary.status == "succeeded" and summary.proposed_deletions >= 4
        truth = await snapshot(urls["ga"], "persons")

        proposals = [p for p in await list_deletions(staging, "ga") if p.kind == "person"]
        assert sorted(p.source_id for p in proposals) == sorted(gone)
        rows = await stored(staging, "ga", "person")
        assert set(gone) <= set(rows)  # still there: nothing is deleted silently
        assert set(rows) - set(truth["records"]) == set(gone)

        confirmed = await confirm_deletion(staging, proposals[0].id, decided_by="admin")
        rejected = await reject_deletion(staging, proposals[1].id, decided_by="clerk")
        assert confirmed.status == "confirmed" and confirmed.decided_by == "admin"
        assert rejected.status == "rejected" and rejected.decided_at is not None
        with pytest.raises(DeletionError, match="already confirmed"):
            await reject_deletion(staging, proposals[0].id, decided_by="clerk")
        with pytest.raises(DeletionError, match="no proposed deletion"):
            await confirm_deletion(staging, 10**9, decided_by="admin")

        [again] = await sync(staging, specs)
    assert again.proposed_deletions == 0  # open ones are not proposed twice, rejected ones stay
    rows = await stored(staging, "ga", "person")
    assert proposals[0].source_id not in rows  # confirmed: marked deleted
    assert {proposals[1].source_id, proposals[2].source_id} <= set(rows)
    waiting = {p.source_id for p in await list_deletions(staging, "ga") if p.kind == "person"}
    assert waiting == {p.source_id for p in proposals[2:]}
    [status] = await source_status(staging, specs)
    assert status.deleted == 1 and status.proposed_deletions >= 2


async def test_a_record_that_comes_back_withdraws_its_proposal(staging: AsyncEngine) -> None:
    records = people(6)
    department = FakeDepartment(records)
    async with serving(department) as server:
        spec = make_spec(server.url)
        await sync(staging, [spec])
        department.records = records[:4]
        [missing] = await sync(staging, [spec])
        assert missing.proposed_deletions == 2
        department.records = records
        [back] = await sync(staging, [spec])
    assert back.proposed_deletions == 0
    assert await list_deletions(staging, "tt") == []
    withdrawn = await list_deletions(staging, "tt", status="rejected")
    assert len(withdrawn) == 2
    assert all(p.decided_by == f"sync: seen again in run {back.run_id}" for p in withdrawn)


async def test_an_incremental_pass_proposes_nothing(
    staging: AsyncEngine, sim_dataset: Dataset
) -> None:
    async with running(codes=("wj",), dataset=sim_dataset) as urls:
        specs = department_specs(urls)
        await sync(staging, specs)
        await admin(urls["wj"], "/_admin/mutate", {"delete": 3})
        [incremental] = await sync(staging, specs)
        assert incremental.mode == "incremental" and incremental.proposed_deletions == 0
        [full] = await sync(staging, specs, full=True)
    assert full.mode == "full" and full.proposed_deletions == 3
