"""``/_admin/mutate`` changes the data set deterministically, and syncs can see it."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from connectors.simulators import Dataset, running
from population import is_valid_id_number
from tests.connectors.simulators.clients import admin, walk_ga, walk_wj

CHANGES = {"update": 4, "insert": 3, "delete": 2}


async def test_mutate_changes_the_ga_snapshot(
    urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    base = urls["ga"]
    before = (await admin(http, base, "snapshot"))["records"]

    changed = await admin(http, base, "mutate", CHANGES)
    after = (await admin(http, base, "snapshot"))["records"]

    assert [len(changed[k]) for k in ("updated", "inserted", "deleted")] == [4, 3, 2]
    assert len(after) == len(before) + 3 - 2
    for key in changed["updated"]:
        if key in after:
            assert after[key]["gxsj"] >= "2024-07-01 00:00:00" > before[key]["gxsj"]
            assert after[key]["lxdh"] != before[key]["lxdh"]
    for key in changed["inserted"]:
        assert key not in before and key in after and key > max(before)
    for key in changed["deleted"]:
        assert key in before and key not in after
    households = await walk_ga(http, base, "households", 500)
    assert sum(h["rs"] for h in households) == len(after)


async def test_same_seed_and_calls_give_the_same_changes(
    dataset: Dataset, http: aiohttp.ClientSession
) -> None:
    results = []
    for _ in range(2):
        async with running(("mz", "wj"), dataset=dataset) as urls:
            answers = [await admin(http, urls[c], "mutate", CHANGES) for c in ("mz", "wj")]
            snapshots = [await admin(http, urls[c], "snapshot") for c in ("mz", "wj")]
            results.append((answers, snapshots))

    assert results[0] == results[1]
    assert results[0][1][0]["records"] != {r["ryid"]: r for r in dataset.records("mz")}


async def test_incremental_wj_sync_sees_exactly_the_changes(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    base = urls["wj"]
    everything = await walk_wj(http, base, limit=500)
    high_water = max(item["updatedAt"] for item in everything)

    changed = await admin(http, base, "mutate", CHANGES)
    newer = await walk_wj(http, base, limit=2, since=high_water)

    expected = (set(changed["updated"]) | set(changed["inserted"])) - set(changed["deleted"])
    assert {item["residentId"] for item in newer if item["updatedAt"] > high_water} == expected


async def test_truth_follows_inserts_and_deletes(
    urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    changed = await admin(http, urls["mz"], "mutate", {"insert": 5, "delete": 5})
    answer = (await admin(http, urls["mz"], "truth"))["truth"]

    kept = set(changed["inserted"]) - set(changed["deleted"])
    assert kept
    for key in kept:
        assert is_valid_id_number(answer[key])
        assert answer[key] not in dataset.id_numbers
    assert not set(changed["deleted"]) & set(answer)
    assert len(answer) == len(dataset.truth("mz"))


@pytest.mark.parametrize(
    "body", [{"update": -1}, {"insert": "3"}, {"remove": 1}, [1, 2], {"delete": True}]
)
async def test_bad_mutations_are_refused(
    body: Any, urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    async with http.post(urls["wj"] + "/_admin/mutate", json=body) as response:
        assert response.status == 400


async def test_snapshot_of_an_unknown_resource_is_refused(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    async with http.get(urls["ga"] + "/_admin/snapshot", params={"resource": "cats"}) as response:
        assert response.status == 400
