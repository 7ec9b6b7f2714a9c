"""Resident resolvers: scope first, then the query; masking by role."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from resolvers.context import Context
from resolvers.errors import bad_input
from resolvers.grids import grid_path
from resolvers.ids import page_size, parse_cursor, parse_global_id
from resolvers.pages import PageResult
from resolvers.principal import mask_id_number, mask_phone
from store.base import Gender
from store.repositories import residents
from store.repositories.residents import ResidentFilter

MAX_AGE = 150


async def listing(
    ctx: Context,
    *,
    grid: str | None = None,
    tag: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    gender: Gender | None = None,
    search: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> PageResult:
    ctx.caller()
    for name, value in (("ageMin", age_min), ("ageMax", age_max)):
        if value is not None and not 0 <= value <= MAX_AGE:
            raise bad_input(f"'{name}' must be between 0 and {MAX_AGE}, got {value}")
    if search is not None and len(search) > 64:
        raise bad_input("'search' is longer than 64 characters")
    size, after_pk = page_size(first, ctx.max_page_size), parse_cursor(after)
    flt = ResidentFilter(
        path=await grid_path(ctx, grid),
        tag=tag,
        age_min=age_min,
        age_max=age_max,
        gender=gender,
        search=search or None,
    )
    page = await ctx.read(residents.page, flt, size, after_pk, ctx.today)
    return PageResult.of(page, after_pk, lambda: ctx.read(residents.count, flt, ctx.today))


async def resident(ctx: Context, id: str) -> Row[Any]:
    ctx.caller()
    _, pk = parse_global_id(id, "Resident")
    return await by_pk(ctx, pk)


async def by_pk(ctx: Context, pk: int) -> Row[Any]:
    return await ctx.load_in_scope(ctx.loaders.resident, ctx.loaders.resident_path, pk, "resident")


def id_number(ctx: Context, row: Row[Any]) -> str | None:
    value = row.id_number
    return value if ctx.caller().sees_personal_data else mask_id_number(value)


def phone(ctx: Context, row: Row[Any]) -> str | None:
    value = row.phone
    return value if ctx.caller().sees_personal_data else mask_phone(value)


async def tags(ctx: Context, row: Row[Any]) -> list[str]:
    return await ctx.loaders.resident_tags.load(row.id)


async def household(ctx: Context, row: Row[Any]) -> Row[Any] | None:
    if row.household_id is None:
        return None
    return await ctx.loaders.household.load(row.household_id)


async def sources(ctx: Context, row: Row[Any]) -> list[Row[Any]]:
    return await ctx.loaders.resident_sources.load(row.id)


def payload(ctx: Context, record: Row[Any]) -> dict[str, Any] | None:
    """A source record's raw payload holds unmasked personal data: PII roles only."""
    return dict(record.payload) if ctx.caller().sees_personal_data else None
