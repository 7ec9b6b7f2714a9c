"""``node(id)``: any object by its global ID, under the same scope rules as its own query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from resolvers import grids, households, residents, tasks
from resolvers.context import Context
from resolvers.errors import bad_input
from resolvers.ids import parse_global_id


async def node(ctx: Context, id: str) -> tuple[str, Row[Any]]:
    ctx.caller()
    type_name, pk = parse_global_id(id)
    if type_name == "Resident":
        return type_name, await residents.by_pk(ctx, pk)
    if type_name == "Household":
        return type_name, await households.by_pk(ctx, pk)
    if type_name == "Task":
        return type_name, await tasks.by_pk(ctx, pk)
    if type_name == "Department":
        return type_name, await tasks.department(ctx, pk)
    if type_name == "Grid":
        return type_name, await grids.by_pk(ctx, pk)
    raise bad_input(f"{type_name} cannot be fetched by node(id)")
