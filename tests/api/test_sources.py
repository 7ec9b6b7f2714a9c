"""GraphQL `sources` and the admin-only `syncSource` mutation, against running simulators."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from connectors import load_specs
from connectors.simulators import running
from store import create_engine
from tests.conftest import SECRET, GraphQLClient, TokenFor
from yiwang.app import create_app
from yiwang.settings import Settings

SOURCES = """{ sources { code name kind records quarantined proposedDeletions syncing
  lastRun { status mode fetched inserted } } }"""
SYNC = """mutation($code: String!) { syncSource(code: $code, full: true) {
  started source { code syncing } } }"""


@pytest.fixture
async def simulated(empty_store_url: str, token_for: TokenFor) -> AsyncIterator[Simulated]:
    """An app over an empty store whose specs point at simulators on ephemeral ports."""
    engine = create_engine(empty_store_url)
    async with running(codes=("ga", "mz"), residents=300, seed=5) as urls:
        env = {"YIWANG_GA_URL": urls["ga"], "YIWANG_MZ_URL": urls["mz"]}
        specs = {code: spec for code, spec in load_specs(env=env).items() if code in urls}
        app = create_app(Settings(empty_store_url, SECRET, 1), engine=engine, specs=specs)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield Simulated(GraphQLClient(http, token_for), urls)
    await engine.dispose()


@dataclass
class Simulated:
    gql: GraphQLClient
    urls: dict[str, str]


@pytest.fixture
def sources_api(simulated: Simulated) -> GraphQLClient:
    return simulated.gql


async def wait_for_run(gql: GraphQLClient, code: str) -> dict[str, Any]:
    for _ in range(600):
        listed = {s["code"]: s for s in (await gql.data(SOURCES))["sources"]}
        source = listed[code]
        if not source["syncing"] and source["lastRun"]:
            return source
        await asyncio.sleep(0.05)
    raise AssertionError(f"sync of {code} did not finish")


async def test_sources_before_and_after_a_sync(sources_api: GraphQLClient) -> None:
    before = {s["code"]: s for s in (await sources_api.data(SOURCES))["sources"]}
    assert set(before) == {"ga", "mz"}
    assert before["ga"]["records"] == 0 and before["ga"]["lastRun"] is None

    result = (await sources_api.data(SYNC, {"code": "ga"}))["syncSource"]
    assert result["started"] is True and result["source"]["code"] == "ga"

    ga = await wait_for_run(sources_api, "ga")
    assert ga["lastRun"]["status"] == "succeeded" and ga["lastRun"]["mode"] == "full"
    assert ga["records"] == ga["lastRun"]["inserted"] > 0
    assert ga["name"].startswith("公安")


async def test_sync_source_is_admin_only(sources_api: GraphQLClient) -> None:
    body = await sources_api.run(SYNC, {"code": "ga"}, role="community", grid="4208")
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = await sources_api.run(SYNC, {"code": "xx"})
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


DELETIONS = """{ sources { code deleted proposedDeletions
  deletions { id kind sourceId status } } }"""
DECIDE = """mutation($id: Int!, $confirm: Boolean!) {
  decideDeletion(id: $id, confirm: $confirm) { id status decidedBy } }"""


async def test_a_person_decides_proposed_deletions(simulated: Simulated) -> None:
    gql = simulated.gql
    await gql.data(SYNC, {"code": "ga"})
    await wait_for_run(gql, "ga")
    async with httpx.AsyncClient(base_url=simulated.urls["ga"]) as platform:
        response = await platform.post("/_admin/mutate", json={"delete": 2})
        assert response.status_code == 200
        gone = response.json()["deleted"]
    await gql.data(SYNC, {"code": "ga"})
    await wait_for_run(gql, "ga")
    ga = next(s for s in (await gql.data(DELETIONS))["sources"] if s["code"] == "ga")
    proposals = ga["deletions"]
    first, second = people = [d for d in proposals if d["kind"] == "person"]
    assert sorted(d["sourceId"] for d in people) == sorted(gone)
    assert ga["proposedDeletions"] == len(proposals) and ga["deleted"] == 0
    assert {d["status"] for d in proposals} == {"proposed"}

    confirmed = (await gql.data(DECIDE, {"id": first["id"], "confirm": True}))["decideDeletion"]
    assert confirmed["status"] == "confirmed" and confirmed["decidedBy"] == "admin@4208"
    rejected = (await gql.data(DECIDE, {"id": second["id"], "confirm": False}))["decideDeletion"]
    assert rejected["status"] == "rejected"
    ga = next(s for s in (await gql.data(DELETIONS))["sources"] if s["code"] == "ga")
    assert ga["deleted"] == 1 and ga["proposedDeletions"] == len(proposals) - 2
    assert first["id"] not in {d["id"] for d in ga["deletions"]}

    again = await gql.run(DECIDE, {"id": first["id"], "confirm": False})
    assert again["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    missing = await gql.run(DECIDE, {"id": 10**6, "confirm": True})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    refused = await gql.run(DECIDE, {"id": second["id"], "confirm": True}, role="department")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
