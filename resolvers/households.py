"""Household resolvers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from resolvers.context import Context
from resolvers.errors import bad_input
from resolvers.grids import grid_path
from resolvers.ids import page_size, parse_cursor, parse_global_id
from resolvers.pages import PageResult
from store.repositories import households
from store.repositories.households import HouseholdFilter


async def listing(
    ctx: Context,
    *,
    grid: str | None = None,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> PageResult:
    ctx.caller()
    if search is not None and len(search) > 64:
        raise bad_input("'search' is longer than 64 characters")
    size, after_pk = page_size(first, ctx.max_page_size), parse_cursor(after)
    flt = HouseholdFilter(path=await grid_path(ctx, grid), search=search or None)
    page = await ctx.read(households.page, flt, size, after_pk)
    return PageResult.of(page, after_pk, lambda: ctx.read(households.count, flt))


async def household(ctx: Context, id: str) -> Row[Any]:
    ctx.caller()
    _, pk = parse_global_id(id, "Household")
    return await by_pk(ctx, pk)


async def by_pk(ctx: Context, pk: int) -> Row[Any]:
    return await ctx.load_in_scope(
        ctx.loaders.household, ctx.loaders.household_path, pk, "household"
    )


async def members(ctx: Context, row: Row[Any]) -> list[tuple[str, Row[Any]]]:
    """(relation, resident) pairs; members registered in another grid outside the
    caller's scope are left out."""
    links = await ctx.loaders.household_members.load(row.id)
    ids = [link.resident_id for link in links]
    people = await ctx.loaders.resident.load_many(ids)
    paths = await ctx.loaders.resident_path.load_many(ids)
    scope = await ctx.scope()
    return [
        (link.relation, person)
        for link, person, path in zip(links, people, paths, strict=True)
        if person is not None and path is not None and path.startswith(scope)
    ]
