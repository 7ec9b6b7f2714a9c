"""Task and department resolvers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from resolvers.context import Context
from resolvers.errors import forbidden, not_found
from resolvers.grids import grid
from resolvers.ids import page_size, parse_cursor, parse_global_id
from resolvers.pages import PageResult
from store.base import TaskStatus
from store.repositories import tasks
from store.repositories.tasks import TaskFilter


async def listing(
    ctx: Context,
    *,
    community: str | None = None,
    status: TaskStatus | None = None,
    department: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> PageResult:
    ctx.caller()
    size, after_pk = page_size(first, ctx.max_page_size), parse_cursor(after)
    flt = TaskFilter(
        scope=await ctx.scope(),
        community_path=str((await grid(ctx, community)).path) if community else None,
        status=status,
        department_id=parse_global_id(department, "Department")[1] if department else None,
    )
    page = await ctx.read(tasks.page, flt, size, after_pk)
    return PageResult.of(page, after_pk, lambda: ctx.read(tasks.count, flt))


async def by_pk(ctx: Context, pk: int) -> Row[Any]:
    rows = await ctx.read(tasks.by_ids, [pk])
    if not rows:
        raise not_found(f"No task {pk}")
    if pk not in await ctx.read(tasks.visible_ids, await ctx.scope(), [pk]):
        raise forbidden()
    return rows[0]


async def departments(ctx: Context) -> list[Row[Any]]:
    ctx.caller()
    return await ctx.read(tasks.departments)


async def department(ctx: Context, pk: int) -> Row[Any]:
    row = await ctx.loaders.department.load(pk)
    if row is None:
        raise not_found(f"No department {pk}")
    return row
