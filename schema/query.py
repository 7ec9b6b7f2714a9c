"""The Query root: each field checks the caller, calls one resolver, wraps the rows."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import grids, households, nodes, residents, tasks
from resolvers.context import context_of
from schema.enums import Gender, GridLevel, TaskStatus
from schema.grid import Grid
from schema.household import Household
from schema.identity import IdentityQuery
from schema.matching import MatchingQuery
from schema.node import Connection, Node
from schema.resident import Resident
from schema.source import SourceQuery
from schema.task import Department, Task

_WRAP = {"Resident": Resident, "Household": Household, "Grid": Grid, "Task": Task}

First = Annotated[int | None, strawberry.argument(description="Page size, 0 to 100 (default 20).")]


@strawberry.input(description="All given conditions must hold.")
class ResidentFilter:
    grid: strawberry.ID | None = strawberry.field(default=None, description="Grid subtree.")
    tag: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    gender: Gender | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Name, pinyin or initials (zhangwei, zw), or the last digits of ID or phone.",
    )


@strawberry.input
class HouseholdFilter:
    grid: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="Number or part of address.")


@strawberry.input
class TaskFilter:
    community: strawberry.ID | None = None
    status: TaskStatus | None = None
    department: strawberry.ID | None = None


@strawberry.type
class Query(SourceQuery, IdentityQuery, MatchingQuery):
    @strawberry.field(description="Any object by its global ID.")
    async def node(self, info: strawberry.Info, id: strawberry.ID) -> Node | None:
        type_name, row = await nodes.node(context_of(info), id)
        if type_name == "Department":
            return Department.from_row(row)
        return _WRAP[type_name].from_row(row)  # type: ignore[attr-defined]

    @strawberry.field
    async def resident(self, info: strawberry.Info, id: strawberry.ID) -> Resident:
        return Resident.from_row(await residents.resident(context_of(info), id))

    @strawberry.field(description="Residents in your grid subtree, ordered by ID.")
    async def residents(
        self,
        info: strawberry.Info,
        filter: ResidentFilter | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Resident]:
        f = filter or ResidentFilter()
        page = await residents.listing(
            context_of(info),
            grid=f.grid,
            tag=f.tag,
            age_min=f.age_min,
            age_max=f.age_max,
            gender=f.gender,
            search=f.search,
            first=first,
            after=after,
        )
        return Connection.of(page, Resident.from_row)

    @strawberry.field
    async def household(self, info: strawberry.Info, id: strawberry.ID) -> Household:
        return Household.from_row(await households.household(context_of(info), id))

    @strawberry.field(description="Households in your grid subtree, ordered by ID.")
    async def households(
        self,
        info: strawberry.Info,
        filter: HouseholdFilter | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Household]:
        f = filter or HouseholdFilter()
        ctx = context_of(info)
        page = await households.listing(ctx, grid=f.grid, search=f.search, first=first, after=after)
        return Connection.of(page, Household.from_row)

    @strawberry.field
    async def grid(self, info: strawberry.Info, id: strawberry.ID) -> Grid:
        return Grid.from_row(await grids.grid(context_of(info), id))

    @strawberry.field(
        description="Children of `parent`, or all grids of `level`; roots if neither."
    )
    async def grids(
        self,
        info: strawberry.Info,
        parent: strawberry.ID | None = None,
        level: GridLevel | None = None,
    ) -> list[Grid]:
        rows = await grids.listing(context_of(info), parent, level)
        return [Grid.from_row(row) for row in rows]

    @strawberry.field(description="Tasks of the communities you serve, ordered by ID.")
    async def tasks(
        self,
        info: strawberry.Info,
        filter: TaskFilter | None = None,
        first: First = None,
        after: str | None = None,
    ) -> Connection[Task]:
        f = filter or TaskFilter()
        page = await tasks.listing(
            context_of(info),
            community=f.community,
            status=f.status,
            department=f.department,
            first=first,
            after=after,
        )
        return Connection.of(page, Task.from_row)

    @strawberry.field
    async def departments(self, info: strawberry.Info) -> list[Department]:
        return [Department.from_row(row) for row in await tasks.departments(context_of(info))]
