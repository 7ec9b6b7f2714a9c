"""``matchPerson``: a person matched against the residents without a resolution run, over
GraphQL, on a small resolved store (tests/resolution/conftest.py ``PEOPLE``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from resolution import resolve_store
from resolvers.ids import global_id
from store import create_engine
from store.seed import seed_demo
from tests.conftest import SECRET, GraphQLClient, TokenFor
from tests.resolution.conftest import PEOPLE, ZHANG_WEI, resident_of, stage
from yiwang.app import create_app
from yiwang.settings import Settings

GRID_1, QIYIQIAO, CITY = "420802001001001", "420802001001", "4208"
MATCH = """query($p: PersonInput!) { matchPerson(person: $p) { decision reason
  resident { id name } candidates { resident { id } probability summary
  contributions { comparison level weight } } } }"""
ZHANG = {"name": "张偉", "idNumber": ZHANG_WEI.lower(), "phone": "138 1234 5678"}
WANG = {"name": "王芳", "idNumber": PEOPLE[("mz", "m4")]["id_number"]}


@pytest.fixture
async def engine_and_gql(
    empty_store_url: str, token_for: TokenFor
) -> AsyncIterator[tuple[AsyncEngine, GraphQLClient]]:
    engine = create_engine(empty_store_url)
    await seed_demo(engine, residents=0, people=False)
    app = create_app(Settings(empty_store_url, SECRET, 1), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield engine, GraphQLClient(http, token_for)
    await engine.dispose()


async def _match(gql: GraphQLClient, person: dict[str, Any], role: str, grid: str) -> Any:
    return (await gql.data(MATCH, {"p": person}, role=role, grid=grid))["matchPerson"]


async def _codes(gql: GraphQLClient, person: dict[str, Any], role: str, grid: str) -> list[str]:
    body = await gql.run(MATCH, {"p": person}, role=role, grid=grid)
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_a_known_person_links_to_their_resident_with_the_reason(
    engine_and_gql: tuple[AsyncEngine, GraphQLClient],
) -> None:
    engine, gql = engine_and_gql
    assert await _codes(gql, ZHANG, "community", QIYIQIAO) == ["NOT_FOUND"]  # no run yet
    await stage(engine, PEOPLE)
    await resolve_store(engine)
    zhang = global_id("Resident", await resident_of(engine, ("ga", "g1")))

    found = await _match(gql, ZHANG, "community", QIYIQIAO)

    assert found["decision"] == "LINK" and found["resident"]["id"] == zhang
    best = found["candidates"][0]
    assert best["resident"]["id"] == zhang and best["probability"] > 0.99
    assert best["summary"].startswith("id_number exact")
    assert {c["comparison"] for c in best["contributions"]} >= {"id_number", "name"}


async def test_a_stranger_is_new_and_bad_input_is_refused(
    engine_and_gql: tuple[AsyncEngine, GraphQLClient],
) -> None:
    engine, gql = engine_and_gql
    await stage(engine, PEOPLE)
    await resolve_store(engine)
    stranger = {"name": "欧阳娜娜", "idNumber": "110101199003074115", "birthDate": "1990-03-07"}
    found = await _match(gql, stranger, "grid_worker", GRID_1)
    assert (found["decision"], found["resident"]) == ("NEW", None)
    assert await _codes(gql, {}, "grid_worker", GRID_1) == ["BAD_INPUT"]
    assert await _codes(gql, {"name": "王" * 300}, "grid_worker", GRID_1) == ["BAD_INPUT"]
    assert await _codes(gql, ZHANG, "gatekeeper", CITY) == ["FORBIDDEN"]


async def test_residents_outside_the_scope_are_not_shown(
    engine_and_gql: tuple[AsyncEngine, GraphQLClient],
) -> None:
    engine, gql = engine_and_gql
    await stage(engine, PEOPLE)
    await resolve_store(engine)
    outside = await _match(gql, WANG, "grid_worker", GRID_1)  # 王芳 lives in 象山社区
    assert outside["decision"] == "LINK"
    assert outside["resident"] is None and outside["candidates"] == []
    city = await _match(gql, WANG, "admin", CITY)
    assert city["resident"]["name"] == "王芳"


async def test_a_newer_run_is_picked_up(
    engine_and_gql: tuple[AsyncEngine, GraphQLClient],
) -> None:
    engine, gql = engine_and_gql
    await stage(engine, {key: value for key, value in PEOPLE.items() if key != ("mz", "m4")})
    await resolve_store(engine)
    before = await _match(gql, WANG, "admin", CITY)
    assert before["decision"] == "NEW"
    await stage(engine, {("mz", "m4"): PEOPLE[("mz", "m4")]})
    await resolve_store(engine)
    after = await _match(gql, WANG, "admin", CITY)
    assert after["decision"] == "LINK" and after["resident"]["name"] == "王芳"
