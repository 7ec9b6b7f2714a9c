"""Each fault of the contract is observable from a real client."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from connectors.simulators import Dataset, Faults, running
from tests.connectors.simulators.clients import (
    AUTH,
    GA,
    KEYS,
    MZ,
    PATHS,
    admin,
    walk_ga,
    walk_mz,
    walk_wj,
)


async def statuses(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], n: int
) -> list[int]:
    found = []
    for _ in range(n):
        async with http.get(url, params={"limit": 5, "pageSize": 5}, headers=headers) as response:
            await response.read()
            found.append(response.status)
    return found


async def test_every_nth_request_is_rate_limited(
    dataset: Dataset, http: aiohttp.ClientSession
) -> None:
    async with running(("ga",), dataset=dataset, faults=Faults(rate_limit_every=3)) as urls:
        url = urls["ga"] + PATHS["ga"]
        for number in range(1, 10):
            async with http.get(url, headers=GA) as response:
                if number % 3 == 0:
                    assert response.status == 429
                    assert response.headers["Retry-After"] == "1"
                else:
                    assert response.status == 200


async def test_error_rate_gives_roughly_that_share_of_5xx(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["ga"], "faults", {"error_rate": 0.3})

    found = Counter(await statuses(http, urls["ga"] + PATHS["ga"], GA, 300))

    assert set(found) == {200, 500, 502, 503}
    assert 0.2 < (300 - found[200]) / 300 < 0.4


async def test_mz_errors_use_its_envelope_with_200_or_5xx(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["mz"], "faults", {"error_rate": 1.0})
    seen = set()
    for _ in range(30):
        async with http.get(urls["mz"] + PATHS["mz"], headers=MZ) as response:
            body = await response.json()
            assert body["code"] == 500 and body["data"] is None
            seen.add(response.status)
    assert 200 in seen and seen - {200} <= {500, 502, 503} and len(seen) > 1


async def test_truncated_body_is_a_cut_json_page(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    url, params = urls["wj"] + PATHS["wj"], {"limit": 20}
    async with http.get(url, params=params, headers=AUTH["wj"]) as response:
        whole = await response.read()
    await admin(http, urls["wj"], "faults", {"truncated_rate": 1.0})

    async with http.get(url, params=params, headers=AUTH["wj"]) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        cut = await response.read()

    assert 0 < len(cut) < len(whole) and whole.startswith(cut)
    with pytest.raises(ValueError):
        json.loads(cut)


async def test_non_json_page_is_html_with_200(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["ga"], "faults", {"non_json_rate": 1.0})

    async with http.get(urls["ga"] + PATHS["ga"], headers=GA) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        text = await response.text()
    assert text.startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        json.loads(text)


def damage(record: dict[str, Any], clean: dict[str, Any], key: str) -> str:
    if key not in record:
        return "missing_key"
    changed = [name for name in clean if record[name] != clean[name]]
    assert len(changed) == 1, (record, clean)
    value = record[changed[0]]
    if type(value) is not type(clean[changed[0]]):
        return "wrong_type"
    assert "02-30" in value or value.endswith("0230"), value
    return "impossible_date"


WALKS: dict[str, Callable[[aiohttp.ClientSession, str], Awaitable[list[dict[str, Any]]]]] = {
    "ga": walk_ga,
    "mz": walk_mz,
    "wj": walk_wj,
}


@pytest.mark.parametrize("code", ["ga", "mz", "wj"])
async def test_malformed_records_are_the_snapshots_list_every_time(
    code: str, urls: dict[str, str], http: aiohttp.ClientSession, dataset: Dataset
) -> None:
    key = KEYS[code]
    await admin(http, urls[code], "faults", {"malformed_rate": 0.1})
    clean = dataset.records(code)  # in serving order; this server is not mutated

    served = await WALKS[code](http, urls[code])
    again = await WALKS[code](http, urls[code])
    snapshot = await admin(http, urls[code], "snapshot")

    assert served == again
    assert len(served) == len(clean)
    damaged = {
        truth[key]: damage(record, truth, key)
        for record, truth in zip(served, clean, strict=True)
        if record != truth
    }
    assert list(damaged) == snapshot["malformed"]
    assert set(snapshot["records"]) == {r[key] for r in clean} - set(damaged)
    assert 0.04 * len(clean) < len(damaged) < 0.18 * len(clean)
    if len(damaged) >= 12:
        assert set(damaged.values()) == {"missing_key", "wrong_type", "impossible_date"}


async def test_timeout_hangs_until_the_client_gives_up_and_shutdown_is_fast(
    dataset: Dataset, http: aiohttp.ClientSession
) -> None:
    started = time.monotonic()
    async with running(("ga",), dataset=dataset, faults=Faults(timeout_rate=1.0)) as urls:
        with pytest.raises(asyncio.TimeoutError):
            timeout = aiohttp.ClientTimeout(total=0.3)
            async with http.get(urls["ga"] + PATHS["ga"], headers=GA, timeout=timeout):
                pass
        hung = time.monotonic()
    assert hung - started >= 0.3
    assert time.monotonic() - hung < 3


async def test_a_short_hang_ends_in_504(urls: dict[str, str], http: aiohttp.ClientSession) -> None:
    await admin(http, urls["wj"], "faults", {"timeout_rate": 1.0, "hang_seconds": 0.2})

    async with http.get(urls["wj"] + PATHS["wj"], headers=AUTH["wj"]) as response:
        assert response.status == 504


async def test_latency_is_added(urls: dict[str, str], http: aiohttp.ClientSession) -> None:
    await admin(http, urls["mz"], "faults", {"latency_ms": [150, 200]})

    started = time.monotonic()
    async with http.get(urls["mz"] + PATHS["mz"], headers=MZ) as response:
        assert response.status == 200
    assert time.monotonic() - started >= 0.15


async def test_wj_cursor_sync_under_drift_ends_equal_to_the_snapshot(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["wj"], "faults", {"drift_per_page": 5})

    served = await walk_wj(http, urls["wj"], limit=100)
    snapshot = await admin(http, urls["wj"], "snapshot")

    synced = {item["residentId"]: item for item in served}  # upsert by key, last wins
    assert synced == snapshot["records"]
    assert len(served) > len(synced), "drift moved no record behind the cursor"


async def test_ga_offset_walk_under_drift_sees_stale_versions(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["ga"], "faults", {"drift_per_page": 3})

    served = {row["rybh"]: row for row in await walk_ga(http, urls["ga"], limit=100)}
    snapshot = (await admin(http, urls["ga"], "snapshot"))["records"]

    stale = [key for key, row in served.items() if row != snapshot[key]]
    assert stale
    assert all(snapshot[key]["gxsj"] > served[key]["gxsj"] for key in stale)


async def test_faults_endpoint_changes_only_what_it_is_given(
    urls: dict[str, str], http: aiohttp.ClientSession
) -> None:
    await admin(http, urls["ga"], "faults", {"error_rate": 0.5})
    current = await admin(http, urls["ga"], "faults", {"latency_ms": [1, 2]})

    assert current["error_rate"] == 0.5 and current["latency_ms"] == [1, 2]
    for bad in ({"error_rate": 2}, {"nonsense": 1}, {"latency_ms": [5, 1]}, [1]):
        async with http.post(urls["ga"] + "/_admin/faults", json=bad) as response:
            assert response.status == 400, bad
    assert await admin(http, urls["ga"], "faults") == current


def test_faults_are_validated_at_construction() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        Faults(error_rate=-0.1)
    with pytest.raises(ValueError, match="drift_per_page"):
        Faults(drift_per_page=1.5)  # type: ignore[arg-type]
