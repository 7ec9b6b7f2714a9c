"""The number of SQL statements for a page does not grow with the page size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import GraphQLClient

PAGE = """query($n: Int) { residents(first: $n) { edges { node {
  id name idNumber phone tags household { id address members { relation resident { name } } }
  grid { id code name parent { code } } sources { source } } } } }"""


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_statements_per_page_are_constant(gql: GraphQLClient, engine: AsyncEngine) -> None:
    counts = {}
    for size in (2, 10, 100):
        with counted(engine) as statements:
            data = await gql.data(PAGE, {"n": size})
        assert len(data["residents"]["edges"]) == size
        counts[size] = len(statements)
    assert counts[2] == counts[10] == counts[100], counts
    assert counts[100] <= 12, counts
