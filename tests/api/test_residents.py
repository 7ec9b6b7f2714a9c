"""residents(filter, first, after): every filter against the store's own answer, and paging."""

from __future__ import annotations

from datetime import date

import pytest

from store.text import name_keys
from tests.api.facts import Facts
from tests.api.pages import RESIDENT_PAGE, pk, walk
from tests.conftest import GraphQLClient


def age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


async def test_paging_walks_every_resident_once_in_order(gql: GraphQLClient, facts: Facts) -> None:
    ids, total = await walk(gql, page=37)
    assert ids == sorted(facts.residents)
    assert total == len(facts.residents)


async def test_page_edges(gql: GraphQLClient, facts: Facts) -> None:
    empty = (await gql.data(RESIDENT_PAGE, {"first": 0}))["residents"]
    assert empty["edges"] == []
    assert empty["pageInfo"]["hasNextPage"] is True
    assert empty["pageInfo"]["endCursor"] is None

    full = (await gql.data(RESIDENT_PAGE, {"first": 100}))["residents"]
    assert len(full["edges"]) == 100
    assert full["pageInfo"]["hasPreviousPage"] is False
    assert full["pageInfo"]["startCursor"] == full["edges"][0]["cursor"]

    ordered = sorted(facts.residents)
    cursor = full["edges"][-1]["cursor"]
    second = (await gql.data(RESIDENT_PAGE, {"first": 1, "after": cursor}))["residents"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert [pk(e["node"]["id"]) for e in second["edges"]] == [ordered[100]]

    last = _cursor_of(ordered[-1])
    tail = (await gql.data(RESIDENT_PAGE, {"first": 5, "after": last}))["residents"]
    assert tail["edges"] == [] and tail["pageInfo"]["hasNextPage"] is False


async def test_default_page_size_is_twenty(gql: GraphQLClient) -> None:
    data = await gql.data("{ residents { edges { cursor } } }")
    assert len(data["residents"]["edges"]) == 20


async def test_grid_filter_is_the_subtree(gql: GraphQLClient, facts: Facts) -> None:
    leaf = facts.busiest_leaf()
    community = facts.grids[leaf.parent_id]
    for grid in (leaf, community):
        gid = await gql.data("query($c: ID!) { node(id: $c) { id } }", {"c": _gid("Grid", grid.id)})
        ids, total = await walk(gql, {"grid": gid["node"]["id"]})
        expected = facts.residents_under(str(grid.path))
        assert set(ids) == expected and total == len(expected) and expected


async def test_tag_filter(gql: GraphQLClient, facts: Facts) -> None:
    tag = "残疾"
    ids, _ = await walk(gql, {"tag": tag})
    expected = {rid for rid, tags in facts.tags.items() if tag in tags}
    assert expected and set(ids) == expected


async def test_age_and_gender_filters(gql: GraphQLClient, facts: Facts) -> None:
    today = date.today()
    ids, _ = await walk(gql, {"ageMin": 60, "ageMax": 69, "gender": "FEMALE"})
    expected = {
        r.id
        for r in facts.residents.values()
        if r.birth_date and 60 <= age(r.birth_date, today) <= 69 and r.gender == "female"
    }
    assert expected and set(ids) == expected


@pytest.mark.parametrize("how", ["name", "pinyin", "initials", "id_tail", "phone_tail"])
async def test_search(gql: GraphQLClient, facts: Facts, how: str) -> None:
    person = next(
        r for r in facts.residents.values() if r.phone and r.id_number and len(r.name) >= 2
    )
    text = {
        "name": person.name,
        "pinyin": name_keys(person.name)[0],
        "initials": name_keys(person.name)[1],
        "id_tail": person.id_number[-6:],
        "phone_tail": person.phone[-8:],
    }[how]
    ids, _ = await walk(gql, {"search": text})
    assert person.id in ids
    for rid in ids:  # and nothing that does not match
        r = facts.residents[rid]
        keys = name_keys(r.name)
        assert (
            text in r.name
            or keys[0] == name_keys(text)[0]
            or keys[0].startswith(text)
            or keys[1].startswith(text)
            or (r.id_number or "").endswith(text)
            or (r.phone or "").endswith(text)
        )


async def test_search_finds_homophones(gql: GraphQLClient, facts: Facts) -> None:
    person = next(r for r in facts.residents.values() if len(r.name) >= 2)
    homophones = {
        r.id for r in facts.residents.values() if name_keys(r.name)[0] == name_keys(person.name)[0]
    }
    ids, _ = await walk(gql, {"search": person.name})
    assert homophones <= set(ids)


async def test_search_escapes_like_wildcards(gql: GraphQLClient) -> None:
    ids, total = await walk(gql, {"search": "%"})
    assert ids == [] and total == 0


def _cursor_of(pk_: int) -> str:
    from resolvers.ids import cursor

    return cursor(pk_)


def _gid(type_name: str, pk_: int) -> str:
    from resolvers.ids import global_id

    return global_id(type_name, pk_)
