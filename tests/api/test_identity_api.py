"""Identity over GraphQL: explanations, provenance, events, the review queue and people's
decisions, with their scope, roles, masking and error codes, on a small resolved store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.survive import FIELDS
from resolution import resolve_store
from resolvers.ids import global_id
from schema.identity import ResidentField
from store import create_engine
from store.models import Grid
from store.seed import seed_demo
from tests.conftest import SECRET, GraphQLClient, TokenFor
from tests.resolution.conftest import PEOPLE, ZHANG_WEI, open_review, record_id, resident_of, stage
from yiwang.app import create_app
from yiwang.settings import Settings

GRID_1, GRID_2 = "420802001001001", "420802001001002"  # 七一桥社区's first two grids
QIYIQIAO, XIANGSHAN, LONGQUAN = "420802001001", "420802001002", "420802001"
ZHANG, CHEN, CHEN_WJ, ZHAO, WANG = (
    ("ga", "g1"),
    ("ga", "g3"),
    ("wj", "w3"),
    ("ga", "g5"),
    ("mz", "m4"),
)

RESIDENT = """query($id: ID!) { resident(id: $id) { id name idNumber phone version
  mergedInto { id } sources { id source sourceId }
  matchExplanation { left { source sourceId } right { source sourceId } probability
    matchWeight manual contributions { comparison level weight } summary }
  provenance { field source sourceId fetchedAt enteredBy enteredAt derivedFrom }
  events { kind actor reason other { id } } } }"""
MERGE = """mutation($s: ID!, $m: ID!, $r: String!) { mergeResidents(survivorId: $s,
  mergedId: $m, reason: $r) { survivor { id version sources { sourceId } }
  merged { id mergedInto { id } } } }"""
SPLIT = """mutation($id: ID!, $records: [ID!]!) { splitResident(residentId: $id,
  recordIds: $records, reason: "namesakes") { resident { id sources { sourceId } }
  newResident { id name sources { sourceId } events { kind } } } }"""
DECIDE = """mutation($id: Int!, $same: Boolean!) { decideReview(id: $id, same: $same,
  reason: "checked at the door") { review { id status decidedBy } residents { id } } }"""
SET = """mutation($id: ID!, $field: ResidentField!, $value: String) { setResidentValue(
  residentId: $id, field: $field, value: $value) { id phone provenance { field enteredBy } } }"""
QUEUE = """query($status: ReviewStatus) { reviewQueue(status: $status ) { totalCount
  edges { node { id status reason summary probability explanation { comparison weight }
    left { sourceId payload resident { id idNumber } } right { sourceId resident { id } } } } } }"""
COUNT = """query($grid: ID) { residents(filter: {grid: $grid}) { totalCount
  edges { node { id } } } }"""


@dataclass
class Api:
    gql: GraphQLClient
    engine: AsyncEngine

    async def resident(self, key: tuple[str, str]) -> str:
        return global_id("Resident", await resident_of(self.engine, key))

    async def record(self, key: tuple[str, str]) -> str:
        return global_id("SourceRecord", await record_id(self.engine, key))

    async def grid(self, code: str) -> str:
        async with self.engine.connect() as conn:
            found = await conn.execute(select(Grid.id).where(Grid.code == code))
            return global_id("Grid", found.scalar_one())

    async def codes(self, query: str, variables: dict[str, Any], **auth: Any) -> list[str]:
        body = await self.gql.run(query, variables, **auth)
        return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
async def api(empty_store_url: str, token_for: TokenFor) -> AsyncIterator[Api]:
    """An app over a store resolved from ``PEOPLE``: 陈静 is two residents in grid 1,
    张伟 one of three records in grid 1, 赵磊 in grid 2, 王芳 in 象山社区."""
    engine = create_engine(empty_store_url)
    await seed_demo(engine, residents=0, people=False)
    await stage(engine, PEOPLE)
    await resolve_store(engine)
    app = create_app(Settings(empty_store_url, SECRET, 1), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield Api(GraphQLClient(http, token_for), engine)
    await engine.dispose()


async def test_a_resident_explains_its_records_and_their_provenance(api: Api) -> None:
    auth = {"role": "community", "grid": QIYIQIAO}
    zhang = (await api.gql.data(RESIDENT, {"id": await api.resident(ZHANG)}, **auth))["resident"]

    assert zhang["idNumber"] == ZHANG_WEI[:6] + "*" * 8 + ZHANG_WEI[-4:]
    edges = zhang["matchExplanation"]
    assert len(edges) == 2 and not any(edge["manual"] for edge in edges)
    by_id = next(e for e in edges if {e["left"]["source"], e["right"]["source"]} == {"ga", "mz"})
    assert by_id["summary"].startswith("id_number exact +") and by_id["probability"] > 0.99
    weights = [c["weight"] for c in by_id["contributions"]]
    assert sum(weights) == pytest.approx(by_id["matchWeight"], abs=0.01)
    provenance = {p["field"]: p for p in zhang["provenance"]}
    assert (provenance["id_number"]["source"], provenance["id_number"]["sourceId"]) == ("ga", "g1")
    assert provenance["name"]["fetchedAt"].startswith("2024-03-01")
    assert provenance["name"]["enteredBy"] is None
    assert [(e["kind"], e["actor"]) for e in zhang["events"]] == [("CREATED", None)]
    assert zhang["mergedInto"] is None


async def test_a_merge_hides_the_merged_resident_from_lists_but_not_from_links(api: Api) -> None:
    auth = {"role": "grid_worker", "grid": GRID_1}
    survivor, merged = await api.resident(CHEN), await api.resident(CHEN_WJ)
    before = (await api.gql.data(COUNT, {}, **auth))["residents"]["totalCount"]

    data = await api.gql.data(MERGE, {"s": survivor, "m": merged, "r": "one woman"}, **auth)

    result = data["mergeResidents"]
    assert result["survivor"]["id"] == survivor and result["survivor"]["version"] == 2
    assert {s["sourceId"] for s in result["survivor"]["sources"]} == {"g3", "w3"}
    assert result["merged"]["mergedInto"] == {"id": survivor}
    listed = (await api.gql.data(COUNT, {}, **auth))["residents"]
    assert listed["totalCount"] == before - 1
    assert merged not in {edge["node"]["id"] for edge in listed["edges"]}
    old_link = (await api.gql.data(RESIDENT, {"id": merged}, **auth))["resident"]
    assert old_link["mergedInto"] == {"id": survivor}
    assert old_link["events"][0]["kind"] == "MERGED"
    node = await api.gql.data("query($id: ID!) { node(id: $id) { id } }", {"id": merged}, **auth)
    assert node["node"] == {"id": merged}
    now = (await api.gql.data(RESIDENT, {"id": survivor}, **auth))["resident"]
    assert now["events"][0] == {
        "kind": "MERGED", "actor": f"grid_worker@{GRID_1}", "reason": "one woman",
        "other": {"id": merged},
    }  # fmt: skip
    assert [e["summary"] for e in now["matchExplanation"]] == ["joined by a person's decision"]
    stats = "query($id: ID!) { grid(id: $id) { statistics { residents } } }"
    counted = await api.gql.data(stats, {"id": await api.grid(GRID_1)}, role="admin", grid="4208")
    assert counted["grid"]["statistics"]["residents"] == before - 1


async def test_a_split_makes_a_new_resident(api: Api) -> None:
    zhang = await api.resident(ZHANG)
    variables = {"id": zhang, "records": [await api.record(("wj", "w1"))]}

    data = await api.gql.data(SPLIT, variables, role="street", grid=LONGQUAN)

    result = data["splitResident"]
    assert {s["sourceId"] for s in result["resident"]["sources"]} == {"g1", "m1"}
    new = result["newResident"]
    assert new["name"] == "张伟" and [s["sourceId"] for s in new["sources"]] == ["w1"]
    assert new["events"] == [{"kind": "SPLIT"}]


async def test_the_review_queue_is_scoped_and_masked(api: Api) -> None:
    inside = await open_review(api.engine, CHEN, CHEN_WJ)
    await open_review(api.engine, ZHAO, WANG)  # 七一桥 grid 2 and 象山社区
    seen = {}
    for role, grid in (("grid_worker", GRID_1), ("community", QIYIQIAO), ("street", LONGQUAN),
                       ("community", XIANGSHAN), ("admin", "4208")):  # fmt: skip
        queue = (await api.gql.data(QUEUE, {}, role=role, grid=grid))["reviewQueue"]
        seen[role, grid] = queue["totalCount"], [edge["node"] for edge in queue["edges"]]
    assert [count for count, _ in seen.values()] == [1, 1, 2, 0, 2]
    [pair] = seen["grid_worker", GRID_1][1]
    assert pair["id"] == inside and pair["status"] == "OPEN" and pair["reason"] == "uncertain"
    assert pair["summary"] == "name exact +11.7, birth_date different -9.2"
    assert pair["left"]["payload"] is None and "*" in pair["left"]["resident"]["idNumber"]
    admin_view = {node["id"]: node for node in seen["admin", "4208"][1]}[inside]
    assert admin_view["left"]["payload"]["name"] == "陈静"
    assert "*" not in admin_view["left"]["resident"]["idNumber"]


async def test_deciding_a_review_pair_merges_and_leaves_the_queue(api: Api) -> None:
    pair = await open_review(api.engine, CHEN, CHEN_WJ)
    chen = await resident_of(api.engine, CHEN)
    auth = {"role": "grid_worker", "grid": GRID_1}

    data = await api.gql.data(DECIDE, {"id": pair, "same": True}, **auth)

    review = data["decideReview"]["review"]
    assert review == {"id": pair, "status": "SAME", "decidedBy": f"grid_worker@{GRID_1}"}
    assert data["decideReview"]["residents"][0] == {"id": global_id("Resident", chen)}
    assert (await api.gql.data(QUEUE, {}, **auth))["reviewQueue"]["totalCount"] == 0
    decided = await api.gql.data(QUEUE, {"status": "SAME"}, **auth)
    assert decided["reviewQueue"]["totalCount"] == 1
    assert await api.codes(DECIDE, {"id": pair, "same": False}, **auth) == ["BAD_INPUT"]


async def test_a_cadre_value_shows_in_provenance_and_stays_masked(api: Api) -> None:
    zhang = await api.resident(ZHANG)
    variables = {"id": zhang, "field": "PHONE", "value": "13987654321"}

    data = await api.gql.data(SET, variables, role="community", grid=QIYIQIAO)

    resident = data["setResidentValue"]
    assert resident["phone"] == "139****4321"
    assert {"field": "phone", "enteredBy": f"community@{QIYIQIAO}"} in resident["provenance"]
    full = await api.gql.data(RESIDENT, {"id": zhang})
    assert full["resident"]["phone"] == "13987654321"
    assert {m.value for m in ResidentField} == set(FIELDS)


async def test_departments_and_gatekeepers_may_not_decide(api: Api) -> None:
    chen, chen_wj, zhang = [await api.resident(k) for k in (CHEN, CHEN_WJ, ZHANG)]
    pair = await open_review(api.engine, CHEN, CHEN_WJ)
    requests: list[tuple[str, dict[str, Any]]] = [
        (MERGE, {"s": chen, "m": chen_wj, "r": "x"}),
        (SPLIT, {"id": zhang, "records": [await api.record(("wj", "w1"))]}),
        (DECIDE, {"id": pair, "same": True}),
        (SET, {"id": zhang, "field": "PHONE", "value": "13987654321"}),
    ]
    for role in ("department", "gatekeeper"):
        for query, variables in requests:
            assert await api.codes(query, variables, role=role, grid="4208") == ["FORBIDDEN"]
    assert (await api.gql.data(RESIDENT, {"id": chen_wj}))["resident"]["mergedInto"] is None


async def test_decisions_outside_the_scope_are_forbidden(api: Api) -> None:
    chen, zhao, zhang = [await api.resident(k) for k in (CHEN, ZHAO, ZHANG)]
    pair = await open_review(api.engine, ZHAO, WANG)
    worker = {"role": "grid_worker", "grid": GRID_1}
    assert await api.codes(MERGE, {"s": chen, "m": zhao, "r": "x"}, **worker) == ["FORBIDDEN"]
    assert await api.codes(DECIDE, {"id": pair, "same": True}, **worker) == ["FORBIDDEN"]
    community = {"role": "community", "grid": QIYIQIAO}
    assert await api.codes(DECIDE, {"id": pair, "same": True}, **community) == ["FORBIDDEN"]
    other = {"role": "community", "grid": XIANGSHAN}
    variables = {"id": zhang, "field": "NAME", "value": "张三"}
    assert await api.codes(SET, variables, **other) == ["FORBIDDEN"]
    assert (await api.gql.data(RESIDENT, {"id": zhang}))["resident"]["name"] == "张伟"


async def test_bad_decisions_get_a_code_and_a_reason(api: Api) -> None:
    chen, chen_wj, zhang = [await api.resident(k) for k in (CHEN, CHEN_WJ, ZHANG)]
    nobody = global_id("Resident", 10**6)
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        (MERGE, {"s": chen, "m": chen, "r": "x"}, "BAD_INPUT", "with itself"),
        (MERGE, {"s": chen, "m": nobody, "r": "x"}, "NOT_FOUND", "No resident"),
        (MERGE, {"s": chen, "m": "bm9wZQ", "r": "x"}, "BAD_INPUT", "Malformed ID"),
        (MERGE, {"s": chen, "m": chen_wj, "r": " "}, "BAD_INPUT", "reason"),
        (SPLIT, {"id": zhang, "records": [await api.record(CHEN)]}, "BAD_INPUT", "not belong"),
        (SPLIT, {"id": zhang, "records": [global_id("SourceRecord", 10**6)]}, "NOT_FOUND",
         "No source record"),
        (SPLIT, {"id": zhang, "records": [zhang]}, "BAD_INPUT", "not a SourceRecord"),
        (DECIDE, {"id": 10**6, "same": True}, "NOT_FOUND", "No review pair"),
        (SET, {"id": zhang, "field": "PHONE", "value": "call me"}, "BAD_INPUT", "usable phone"),
        (SET, {"id": zhang, "field": "GRID", "value": "x"}, "BAD_INPUT", ""),
    ]  # fmt: skip
    for query, variables, code, message in cases:
        body = await api.gql.run(query, variables, role="community", grid=QIYIQIAO)
        [error] = body["errors"]
        assert (error["extensions"]["code"], message in error["message"]) == (code, True), error
    await api.gql.data(MERGE, {"s": chen, "m": chen_wj, "r": "one woman"})
    again = await api.gql.run(MERGE, {"s": chen_wj, "m": chen, "r": "x"})
    assert again["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "merged into resident" in again["errors"][0]["message"]
