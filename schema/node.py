"""The Relay ``Node`` interface, ``PageInfo`` and a generic keyset connection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.ids import cursor
from resolvers.pages import PageResult

T = TypeVar("T")


@strawberry.interface(description="An object with a global ID, fetchable by `node(id)`.")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="All matching objects, not only this page.")
    async def total_count(self) -> int:
        return await self._count()

    @classmethod
    def of(cls, result: PageResult, wrap: Callable[[Any], T]) -> Connection[T]:
        edges = [Edge(cursor=cursor(row.id), node=wrap(row)) for row in result.rows]
        info = PageInfo(
            has_next_page=result.has_next,
            has_previous_page=result.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return cls(edges=edges, page_info=info, _count=result.count)
