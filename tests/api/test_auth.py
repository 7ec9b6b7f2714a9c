"""Missing, expired, forged and malformed tokens."""

from __future__ import annotations

import jwt

from tests.conftest import SECRET, GraphQLClient

QUERY = "{ residents(first: 1) { edges { node { name } } } }"


async def test_missing_token_is_unauthenticated(gql: GraphQLClient) -> None:
    response = await gql.post(QUERY)
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_introspection_needs_no_token(gql: GraphQLClient) -> None:
    response = await gql.post("{ __schema { queryType { name } } }")
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_expired_token_is_401(gql: GraphQLClient) -> None:
    token = gql.token_for("admin", "4208", ttl_hours=-1)
    response = await gql.post(QUERY, token=token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "expired" in response.json()["errors"][0]["message"]


async def test_forged_token_is_401(gql: GraphQLClient) -> None:
    claims = jwt.decode(
        gql.token_for("grid_worker", "4208"), SECRET, algorithms=["HS256"], issuer="yiwang"
    )
    claims["role"] = "admin"
    forged = jwt.encode(claims, "another-secret-another-secret-1234", algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (forged, unsigned, "not-a-jwt"):
        response = await gql.post(QUERY, token=token)
        assert response.status_code == 401, token
        assert "Traceback" not in response.text


async def test_wrong_scheme_and_unknown_role_are_401(gql: GraphQLClient) -> None:
    response = await gql.http.post(
        "/graphql", json={"query": QUERY}, headers={"Authorization": "Basic dXNlcjpwdw=="}
    )
    assert response.status_code == 401
    claims = {"iss": "yiwang", "sub": "x", "role": "mayor", "grid": "4208", "iat": 0, "exp": 2**40}
    response = await gql.post(QUERY, token=jwt.encode(claims, SECRET, algorithm="HS256"))
    assert response.status_code == 401


async def test_token_for_unknown_grid_is_unauthenticated(gql: GraphQLClient) -> None:
    body = await gql.run(QUERY, grid="999999")
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
