"""node(id), grids, households, tasks and departments, checked against the store."""

from __future__ import annotations

from collections import Counter

from resolvers.ids import global_id
from tests.api.facts import Facts
from tests.api.pages import pk
from tests.conftest import GraphQLClient

NODE = """query($id: ID!) { node(id: $id) {
  __typename id
  ... on Resident { name }
  ... on Household { number }
  ... on Grid { code }
  ... on Task { title }
  ... on Department { code }
} }"""


async def test_node_resolves_every_type(gql: GraphQLClient, facts: Facts) -> None:
    samples = {
        "Resident": (min(facts.residents), "name", facts.residents[min(facts.residents)].name),
        "Household": (
            min(facts.households),
            "number",
            facts.households[min(facts.households)].number,
        ),
        "Grid": (min(facts.grids), "code", facts.grids[min(facts.grids)].code),
        "Task": (min(facts.tasks), "title", facts.tasks[min(facts.tasks)].title),
    }
    for type_name, (key, field, value) in samples.items():
        gid = global_id(type_name, key)
        node = (await gql.data(NODE, {"id": gid}))["node"]
        assert node["__typename"] == type_name and node["id"] == gid and node[field] == value
    departments = (await gql.data("{ departments { id code name } }"))["departments"]
    assert {"ga", "mz", "wj", "cl"} <= {d["code"] for d in departments}
    node = (await gql.data(NODE, {"id": departments[0]["id"]}))["node"]
    assert node["code"] == departments[0]["code"]


async def test_grid_tree(gql: GraphQLClient, facts: Facts) -> None:
    roots = (await gql.data("{ grids { code level children { code level } } }"))["grids"]
    assert [r["code"] for r in roots] == ["4208"] and roots[0]["level"] == "CITY"
    districts = [g for g in facts.grids.values() if g.level == "district"]
    assert sorted(c["code"] for c in roots[0]["children"]) == sorted(g.code for g in districts)
    leaves = (await gql.data("{ grids(level: GRID) { code } }"))["grids"]
    assert len(leaves) == sum(1 for g in facts.grids.values() if g.level == "grid")
    parent = global_id("Grid", districts[0].id)
    children = (await gql.data("query($p: ID) { grids(parent: $p) { code } }", {"p": parent}))[
        "grids"
    ]
    expected = sorted(g.code for g in facts.grids.values() if g.parent_id == districts[0].id)
    assert [c["code"] for c in children] == expected


async def test_grid_path_and_statistics(gql: GraphQLClient, facts: Facts) -> None:
    leaf = facts.busiest_leaf()
    community = facts.grids[leaf.parent_id]
    query = """query($id: ID!) { grid(id: $id) { path parent { code }
      ancestors { code } statistics { residents households tags { tag count } } } }"""
    data = (await gql.data(query, {"id": global_id("Grid", community.id)}))["grid"]
    assert data["path"] == community.path
    assert [a["code"] for a in data["ancestors"]] == community.path.strip("/").split("/")
    assert data["parent"]["code"] == facts.grids[community.parent_id].code
    inside = facts.residents_under(str(community.path))
    assert data["statistics"]["residents"] == len(inside)
    households = [
        h for h in facts.households.values() if facts.path_of(h.grid_id).startswith(community.path)
    ]
    assert data["statistics"]["households"] == len(households)
    expected = Counter(tag for rid in inside for tag in facts.tags.get(rid, []))
    assert {t["tag"]: t["count"] for t in data["statistics"]["tags"]} == dict(expected)


async def test_resident_links(gql: GraphQLClient, facts: Facts) -> None:
    person = next(r for r in facts.residents.values() if r.household_id and facts.tags.get(r.id))
    query = """query($id: ID!) { resident(id: $id) { name gender birthDate tags
      household { number members { relation resident { id } } }
      grid { code } sources { source } } }"""
    data = (await gql.data(query, {"id": global_id("Resident", person.id)}))["resident"]
    assert data["name"] == person.name and data["gender"] == person.gender.upper()
    assert data["birthDate"] == person.birth_date.isoformat()
    assert data["tags"] == sorted(facts.tags[person.id])
    assert data["household"]["number"] == facts.households[person.household_id].number
    assert person.id in {pk(m["resident"]["id"]) for m in data["household"]["members"]}
    assert data["grid"]["code"] == facts.grids[person.grid_id].code
    assert isinstance(data["sources"], list)


async def test_household_members_have_one_head(gql: GraphQLClient, facts: Facts) -> None:
    query = """{ households(first: 50) { edges { node {
      number members { relation } grid { level } } } } }"""
    edges = (await gql.data(query))["households"]["edges"]
    assert len(edges) == 50
    for edge in edges:
        relations = [m["relation"] for m in edge["node"]["members"]]
        assert relations.count("户主") == 1, relations
        assert edge["node"]["grid"]["level"] == "GRID"


async def test_household_search_by_number(gql: GraphQLClient, facts: Facts) -> None:
    household = facts.households[max(facts.households)]
    query = "query($s: String) { households(filter: {search: $s}) { edges { node { number } } } }"
    edges = (await gql.data(query, {"s": household.number}))["households"]["edges"]
    assert [e["node"]["number"] for e in edges] == [household.number]


async def test_task_filters(gql: GraphQLClient, facts: Facts) -> None:
    status = Counter(t.status for t in facts.tasks.values()).most_common(1)[0][0]
    query = """query($s: TaskStatus) { tasks(first: 100, filter: {status: $s}) {
      totalCount edges { node { status title department { code } community { level } } } } }"""
    data = (await gql.data(query, {"s": status.upper()}))["tasks"]
    assert data["totalCount"] == sum(1 for t in facts.tasks.values() if t.status == status)
    assert all(e["node"]["status"] == status.upper() for e in data["edges"])
    assert all(e["node"]["community"]["level"] == "COMMUNITY" for e in data["edges"])
