"""Bad input gets a GraphQL error with a code: never a 500, never a stack trace."""

from __future__ import annotations

import pytest

from resolvers.ids import global_id
from tests.api.facts import Facts
from tests.conftest import GraphQLClient

CASES = [
    ('{ resident(id: "bm9wZQ") { name } }', "BAD_INPUT"),
    ('{ resident(id: "%%%") { name } }', "BAD_INPUT"),
    ('{ node(id: "") { id } }', "BAD_INPUT"),
    ("{ residents(first: 101) { edges { cursor } } }", "BAD_INPUT"),
    ("{ residents(first: -1) { edges { cursor } } }", "BAD_INPUT"),
    ('{ residents(after: "garbage") { edges { cursor } } }', "BAD_INPUT"),
    ("{ residents(filter: {gender: ROBOT}) { edges { cursor } } }", "BAD_INPUT"),
    ("{ residents(filter: {ageMin: -3}) { edges { cursor } } }", "BAD_INPUT"),
    ('{ residents(filter: {search: "' + "x" * 65 + '"}) { edges { cursor } } }', "BAD_INPUT"),
    ("{ grids(level: PLANET) { id } }", "BAD_INPUT"),
    ("{ tasks(filter: {status: LOST}) { edges { cursor } } }", "BAD_INPUT"),
    ("{ residents { nope } }", "BAD_INPUT"),
    ("{ residents(", "BAD_INPUT"),
    (f'{{ resident(id: "{global_id("Resident", 10**9)}") {{ name }} }}', "NOT_FOUND"),
    (f'{{ node(id: "{global_id("Household", 10**9)}") {{ id }} }}', "NOT_FOUND"),
    (f'{{ grid(id: "{global_id("Grid", 10**9)}") {{ id }} }}', "NOT_FOUND"),
]


@pytest.mark.parametrize(("query", "code"), CASES)
async def test_bad_input_has_a_code(gql: GraphQLClient, query: str, code: str) -> None:
    response = await gql.post(query, token=gql.token_for("admin", "4208"))
    assert response.status_code in (200, 400), response.text
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert "Traceback" not in response.text and 'File "' not in response.text


async def test_id_of_the_wrong_type_is_bad_input(gql: GraphQLClient, facts: Facts) -> None:
    household = global_id("Household", min(facts.households))
    body = await gql.run("query($id: ID!) { resident(id: $id) { name } }", {"id": household})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"


async def test_unknown_enum_in_variables_is_bad_input(gql: GraphQLClient) -> None:
    query = "query($f: ResidentFilter) { residents(filter: $f) { edges { cursor } } }"
    response = await gql.post(
        query, {"f": {"gender": "ROBOT"}}, token=gql.token_for("admin", "4208")
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"


async def test_malformed_request_body_is_not_a_500(gql: GraphQLClient) -> None:
    headers = {
        "Authorization": f"Bearer {gql.token_for('admin', '4208')}",
        "Content-Type": "application/json",
    }
    response = await gql.http.post("/graphql", content=b"{not json", headers=headers)
    assert response.status_code == 400
    assert "Traceback" not in response.text


async def test_too_deep_query_is_refused(gql: GraphQLClient) -> None:
    nested = "grid { " + "parent { " * 10 + "id" + " }" * 11
    body = await gql.run("{ residents(first: 1) { edges { node { " + nested + " } } } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
