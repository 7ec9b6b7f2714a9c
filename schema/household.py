"""Household (户) and its members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row

from resolvers import grids, households
from resolvers.context import context_of
from resolvers.ids import global_id
from schema.node import Node

if TYPE_CHECKING:
    from schema.grid import Grid
    from schema.resident import Resident


@strawberry.type
class HouseholdMember:
    relation: str = strawberry.field(description="Relation to the head: 户主, 配偶, 子, 女 …")
    resident: Annotated[Resident, strawberry.lazy("schema.resident")]


@strawberry.type(description="A household (户).")
class Household(Node):
    number: str
    address: str
    version: int
    row: strawberry.Private[Row[Any]]

    @strawberry.field
    async def grid(self, info: strawberry.Info) -> Annotated[Grid, strawberry.lazy("schema.grid")]:
        from schema.grid import Grid

        return Grid.from_row(await grids.by_pk(context_of(info), self.row.grid_id))

    @strawberry.field(description="Members within your scope, head first.")
    async def members(self, info: strawberry.Info) -> list[HouseholdMember]:
        from schema.resident import Resident

        pairs = await households.members(context_of(info), self.row)
        return [HouseholdMember(relation=rel, resident=Resident.from_row(r)) for rel, r in pairs]

    @classmethod
    def from_row(cls, row: Row[Any]) -> Household:
        return cls(
            id=strawberry.ID(global_id("Household", row.id)),
            number=row.number,
            address=row.address,
            version=row.version,
            row=row,
        )
