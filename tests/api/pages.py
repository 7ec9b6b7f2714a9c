"""Walk a connection page by page, as a client would."""

from __future__ import annotations

from typing import Any

from resolvers.ids import parse_global_id
from tests.conftest import GraphQLClient

RESIDENT_PAGE = """
query($first: Int, $after: String, $filter: ResidentFilter) {
  residents(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name idNumber phone gender birthDate tags grid { code } } }
  }
}"""


def pk(global_id: str) -> int:
    return parse_global_id(global_id)[1]


async def walk(
    gql: GraphQLClient, filter: dict[str, Any] | None = None, page: int = 100, **auth: Any
) -> tuple[list[int], int]:
    """All resident pks a filter returns, in order, and the reported totalCount."""
    ids: list[int] = []
    after = None
    total = -1
    while True:
        variables = {"first": page, "after": after, "filter": filter}
        data = (await gql.data(RESIDENT_PAGE, variables, **auth))["residents"]
        total = data["totalCount"]
        ids += [pk(edge["node"]["id"]) for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            return ids, total
        after = data["pageInfo"]["endCursor"]
