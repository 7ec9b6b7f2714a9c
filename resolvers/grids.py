"""Grid resolvers: the tree is visible to every caller, statistics only within scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from resolvers.context import Context
from resolvers.errors import not_found
from resolvers.ids import parse_global_id
from store.base import GridLevel
from store.repositories import grids
from store.repositories.scope import narrowest


async def grid(ctx: Context, id: str) -> Row[Any]:
    ctx.caller()
    return await by_pk(ctx, parse_global_id(id, "Grid")[1])


async def by_pk(ctx: Context, pk: int) -> Row[Any]:
    row = await ctx.loaders.grid.load(pk)
    if row is None:
        raise not_found(f"No grid {pk}")
    return row


async def grid_path(ctx: Context, id: str | None) -> str | None:
    """The subtree a ``grid`` filter argument names, narrowed to the caller's scope."""
    scope = await ctx.scope()
    if id is None:
        return scope
    return narrowest(scope, str((await grid(ctx, id)).path))


async def listing(ctx: Context, parent: str | None, level: GridLevel | None) -> list[Row[Any]]:
    ctx.caller()
    parent_id = parse_global_id(parent, "Grid")[1] if parent is not None else None
    roots_only = parent is None and level is None
    return await ctx.read(grids.listing, parent_id, level, roots_only)


async def ancestors(ctx: Context, row: Row[Any]) -> list[Row[Any]]:
    codes = [code for code in str(row.path).strip("/").split("/") if code]
    found = await ctx.loaders.grid_by_code.load_many(codes)
    return [grid for grid in found if grid is not None]


async def stats(ctx: Context, row: Row[Any]) -> grids.GridStats:
    return await ctx.read(grids.stats, narrowest(await ctx.scope(), str(row.path)))
