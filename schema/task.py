"""Task (任务) sent by a department to a community, and Department."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row

from resolvers import grids, tasks
from resolvers.context import context_of
from resolvers.ids import global_id
from schema.enums import TaskStatus
from schema.node import Node

if TYPE_CHECKING:
    from schema.grid import Grid


@strawberry.type(description="A department (民政局, 卫健局, 公安局 …).")
class Department(Node):
    code: str
    name: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Department:
        return cls(id=strawberry.ID(global_id("Department", row.id)), code=row.code, name=row.name)


@strawberry.type(description="A piece of work a department sends to a community.")
class Task(Node):
    title: str
    status: TaskStatus
    due_date: date | None
    created_at: datetime
    row: strawberry.Private[Row[Any]]

    @strawberry.field
    async def department(self, info: strawberry.Info) -> Department:
        return Department.from_row(await tasks.department(context_of(info), self.row.department_id))

    @strawberry.field
    async def community(
        self, info: strawberry.Info
    ) -> Annotated[Grid, strawberry.lazy("schema.grid")]:
        from schema.grid import Grid

        return Grid.from_row(await grids.by_pk(context_of(info), self.row.community_id))

    @classmethod
    def from_row(cls, row: Row[Any]) -> Task:
        return cls(
            id=strawberry.ID(global_id("Task", row.id)),
            title=row.title,
            status=row.status,
            due_date=row.due_date,
            created_at=row.created_at,
            row=row,
        )
