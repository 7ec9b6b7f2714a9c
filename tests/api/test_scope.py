"""Row scope by grid subtree and field masking by role."""

from __future__ import annotations

import re

from resolvers.ids import global_id
from tests.api.facts import Facts
from tests.api.pages import pk, walk
from tests.conftest import GraphQLClient

MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
MASKED_PHONE = re.compile(r"^\d{3}\*{4}\d{4}$")

ONE = "query($id: ID!) { resident(id: $id) { id name idNumber phone } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Resident { name idNumber } } }"


async def test_grid_worker_lists_exactly_its_grid_masked(gql: GraphQLClient, facts: Facts) -> None:
    leaf = facts.busiest_leaf()
    auth = {"role": "grid_worker", "grid": leaf.code}
    ids, total = await walk(gql, **auth)
    expected = facts.residents_under(str(leaf.path))
    assert set(ids) == expected and total == len(expected)
    page = await gql.data("{ residents(first: 100) { edges { node { idNumber phone } } } }", **auth)
    nodes = [e["node"] for e in page["residents"]["edges"]]
    assert nodes and all(MASKED_ID.match(n["idNumber"]) for n in nodes if n["idNumber"])
    assert all(MASKED_PHONE.match(n["phone"]) for n in nodes if n["phone"])


async def test_admin_sees_full_personal_data(gql: GraphQLClient, facts: Facts) -> None:
    person = next(r for r in facts.residents.values() if r.id_number and r.phone)
    data = await gql.data(ONE, {"id": global_id("Resident", person.id)})
    assert data["resident"]["idNumber"] == person.id_number
    assert data["resident"]["phone"] == person.phone


async def test_another_grids_resident_is_forbidden(gql: GraphQLClient, facts: Facts) -> None:
    mine = facts.busiest_leaf()
    other = facts.busiest_leaf(exclude_community=facts.grids[mine.parent_id].code)
    stranger = min(facts.residents_under(str(other.path)))
    auth = {"role": "grid_worker", "grid": mine.code}
    for query in (ONE, NODE):
        body = await gql.run(query, {"id": global_id("Resident", stranger)}, **auth)
        assert body["data"] is None or body["data"] == {"node": None}
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
        assert facts.residents[stranger].name not in str(body)


async def test_grid_filter_outside_scope_returns_nothing(gql: GraphQLClient, facts: Facts) -> None:
    mine = facts.busiest_leaf()
    other = facts.busiest_leaf(exclude_community=facts.grids[mine.parent_id].code)
    ids, total = await walk(
        gql, {"grid": global_id("Grid", other.id)}, role="community", grid=mine.code
    )
    assert ids == [] and total == 0


async def test_community_sees_its_subtree_and_its_households(
    gql: GraphQLClient, facts: Facts
) -> None:
    community = facts.grids[facts.busiest_leaf().parent_id]
    auth = {"role": "community", "grid": community.code}
    ids, _ = await walk(gql, **auth)
    assert set(ids) == facts.residents_under(str(community.path))
    query = "{ households(first: 100) { totalCount edges { node { id number } } } }"
    data = (await gql.data(query, **auth))["households"]
    expected = {
        h.id
        for h in facts.households.values()
        if facts.path_of(h.grid_id).startswith(str(community.path))
    }
    assert data["totalCount"] == len(expected)
    assert {pk(e["node"]["id"]) for e in data["edges"]} <= expected


async def test_household_outside_scope_is_forbidden(gql: GraphQLClient, facts: Facts) -> None:
    mine = facts.busiest_leaf()
    foreign = next(
        h
        for h in facts.households.values()
        if not facts.path_of(h.grid_id).startswith(str(mine.path))
    )
    body = await gql.run(
        "query($id: ID!) { household(id: $id) { number } }",
        {"id": global_id("Household", foreign.id)},
        role="grid_worker",
        grid=mine.code,
    )
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_tasks_are_those_of_the_callers_communities(gql: GraphQLClient, facts: Facts) -> None:
    leaf = facts.busiest_leaf()
    community = facts.grids[leaf.parent_id]
    query = "{ tasks(first: 100) { totalCount edges { node { id community { code } } } } }"
    for role, grid in (("grid_worker", leaf), ("community", community)):
        data = (await gql.data(query, role=role, grid=grid.code))["tasks"]
        expected = {t.id for t in facts.tasks.values() if t.community_id == community.id}
        assert {pk(e["node"]["id"]) for e in data["edges"]} == expected
        assert data["totalCount"] == len(expected)
    street = facts.grids[community.parent_id]
    data = (await gql.data(query, role="street", grid=street.code))["tasks"]
    expected = {
        t.id
        for t in facts.tasks.values()
        if facts.path_of(t.community_id).startswith(str(street.path))
    }
    assert data["totalCount"] == len(expected) > 0


async def test_statistics_are_limited_to_scope(gql: GraphQLClient, facts: Facts) -> None:
    leaf = facts.busiest_leaf()
    community = facts.grids[leaf.parent_id]
    query = "query($id: ID!) { grid(id: $id) { statistics { residents households } } }"
    data = await gql.data(
        query, {"id": global_id("Grid", community.id)}, role="grid_worker", grid=leaf.code
    )
    assert data["grid"]["statistics"]["residents"] == len(facts.residents_under(str(leaf.path)))
