"""Grid (网格) tree: city > district > street > community > grid."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import Row

from resolvers import grids
from resolvers.context import context_of
from resolvers.ids import global_id
from schema.enums import GridLevel
from schema.node import Node


@strawberry.type
class TagCount:
    tag: str
    count: int


@strawberry.type(description="Counts within the grid's subtree, limited to your scope.")
class GridStatistics:
    residents: int
    households: int
    tags: list[TagCount]


@strawberry.type(description="A node of the grid tree.")
class Grid(Node):
    code: str
    name: str
    level: GridLevel
    path: str = strawberry.field(description="Materialised path of codes, root first.")
    row: strawberry.Private[Row[Any]]

    @strawberry.field
    async def parent(self, info: strawberry.Info) -> Grid | None:
        if self.row.parent_id is None:
            return None
        row = await context_of(info).loaders.grid.load(self.row.parent_id)
        return Grid.from_row(row) if row is not None else None

    @strawberry.field
    async def children(self, info: strawberry.Info) -> list[Grid]:
        rows = await context_of(info).loaders.grid_children.load(self.row.id)
        return [Grid.from_row(row) for row in rows]

    @strawberry.field(description="The grids from the root down to this one.")
    async def ancestors(self, info: strawberry.Info) -> list[Grid]:
        return [Grid.from_row(row) for row in await grids.ancestors(context_of(info), self.row)]

    @strawberry.field
    async def statistics(self, info: strawberry.Info) -> GridStatistics:
        stats = await grids.stats(context_of(info), self.row)
        tags = [TagCount(tag=tag, count=n) for tag, n in stats.tags.items()]
        return GridStatistics(residents=stats.residents, households=stats.households, tags=tags)

    @classmethod
    def from_row(cls, row: Row[Any]) -> Grid:
        return cls(
            id=strawberry.ID(global_id("Grid", row.id)),
            code=row.code,
            name=row.name,
            level=row.level,
            path=row.path,
            row=row,
        )
