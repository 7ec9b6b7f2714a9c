"""Every pagination style walks all records exactly once, in order, equal to the snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from connectors.simulators import Dataset
from tests.connectors.simulators.clients import (
    AUTH,
    GA,
    MZ,
    PATHS,
    WJ,
    admin,
    get_json,
    walk_ga,
    walk_mz,
    walk_wj,
)


def by_key(records: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    keyed = {record[key]: record for record in records}
    assert len(keyed) == len(records), "a record was served twice"
    return keyed


async def test_ga_persons_and_households(
    urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    for resource, key, limit in (("persons", "rybh", 500), ("households", "hh", 77)):
        rows = await walk_ga(http, urls["ga"], resource, limit)
        snapshot = await admin(http, urls["ga"], "snapshot", resource=resource)

        assert by_key(rows, key) == snapshot["records"]
        assert [row[key] for row in rows] == sorted(row[key] for row in rows)
        assert len(rows) == len(dataset.records("ga", resource))


async def test_mz_pages(
    urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    rows = await walk_mz(http, urls["mz"], size=13)
    snapshot = await admin(http, urls["mz"], "snapshot", resource="jzxx")

    assert by_key(rows, "ryid") == snapshot["records"]
    assert len(rows) == len(dataset.records("mz"))
    first = await get_json(http, urls["mz"] + PATHS["mz"], {"pageSize": 13}, MZ)
    assert first["data"]["pages"] == -(-len(rows) // 13)
    beyond = {"pageNum": first["data"]["pages"] + 1, "pageSize": 13}
    assert (await get_json(http, urls["mz"] + PATHS["mz"], beyond, MZ))["data"]["list"] == []


async def test_wj_cursor_walk_in_update_order(
    urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    items = await walk_wj(http, urls["wj"], limit=250)
    snapshot = await admin(http, urls["wj"], "snapshot", resource="residents")

    assert by_key(items, "residentId") == snapshot["records"]
    order = [(item["updatedAt"], item["residentId"]) for item in items]
    assert order == sorted(order)
    assert len(items) == len(dataset.records("wj"))


async def test_wj_updated_since_returns_only_newer(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    everything = await walk_wj(http, urls["wj"], limit=500)
    middle = sorted(item["updatedAt"] for item in everything)[len(everything) // 2]
    newer = await walk_wj(http, urls["wj"], limit=60, since=middle)

    expected = {i["residentId"] for i in everything if i["updatedAt"] >= middle}
    assert {item["residentId"] for item in newer} == expected
    assert 0 < len(newer) < len(everything)
    # The same instant written in UTC selects the same items.
    instant = datetime.fromisoformat(middle).astimezone(UTC).isoformat()
    assert instant.endswith("+00:00")
    utc = await walk_wj(http, urls["wj"], limit=500, since=instant)
    assert {item["residentId"] for item in utc} == expected


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("ga", {"limit": 501}),
        ("ga", {"limit": 0}),
        ("ga", {"offset": -1}),
        ("ga", {"limit": "ten"}),
        ("mz", {"pageSize": 201}),
        ("mz", {"pageNum": 0}),
        ("wj", {"limit": 501}),
        ("wj", {"cursor": "not-a-cursor"}),
        ("wj", {"updated_since": "yesterday"}),
    ],
)
async def test_limits_and_bad_parameters_are_refused(
    code: str, params: dict[str, Any], urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    async with http.get(urls[code] + PATHS[code], params=params, headers=AUTH[code]) as response:
        assert response.status == 400, await response.text()


async def test_largest_allowed_pages_are_served(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    ga = await get_json(http, urls["ga"] + PATHS["ga"], {"limit": 500}, GA)
    mz = await get_json(http, urls["mz"] + PATHS["mz"], {"pageSize": 200}, MZ)
    wj = await get_json(http, urls["wj"] + PATHS["wj"], {"limit": 500}, WJ)

    assert len(ga["rows"]) == 500
    assert len(wj["items"]) == 500
    assert len(mz["data"]["list"]) == min(200, mz["data"]["total"])
