"""/healthz, /metrics, masking of unexpected errors, and the GraphiQL page."""

from __future__ import annotations

from graphql import GraphQLError

from resolvers.errors import ErrorCode
from tests.conftest import GraphQLClient
from yiwang.graphql_view import error_code


async def test_healthz(gql: GraphQLClient) -> None:
    response = await gql.http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_metrics_count_requests_and_error_codes(gql: GraphQLClient) -> None:
    await gql.post(
        "{ residents(first: 1000) { edges { cursor } } }", token=gql.token_for("admin", "4208")
    )
    text = (await gql.http.get("/metrics")).text
    assert 'yiwang_graphql_errors_total{code="BAD_INPUT"}' in text
    assert 'yiwang_http_requests_total{method="POST",route="/graphql",status="200"}' in text
    assert "yiwang_http_request_seconds_bucket" in text


async def test_graphiql_page_is_served_without_a_token(gql: GraphQLClient) -> None:
    response = await gql.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "/static/graphiql/" in response.text
    assert "unpkg" not in response.text and "jsdelivr" not in response.text


def test_unexpected_errors_are_internal_and_the_rest_are_the_callers() -> None:
    unexpected = GraphQLError("boom", original_error=RuntimeError("db password is x"))
    assert error_code(unexpected) == ErrorCode.INTERNAL
    assert error_code(GraphQLError("Syntax Error")) == ErrorCode.BAD_INPUT
    assert error_code(GraphQLError("x", extensions={"code": "FORBIDDEN"})) == "FORBIDDEN"
