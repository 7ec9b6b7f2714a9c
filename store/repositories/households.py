"""Household queries: keyset pages, batched lookups, members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.models import Grid, Household, HouseholdMember
from store.repositories.paging import Page, fetch_page
from store.repositories.scope import grid_in_subtree

_COLUMNS = Household.__table__.columns


@dataclass(frozen=True)
class HouseholdFilter:
    path: str | None = None
    search: str | None = None  # household number or part of the address


def _filtered(query: Select[Any], flt: HouseholdFilter) -> Select[Any]:
    query = query.where(grid_in_subtree(Household.grid_id, flt.path))
    if flt.search:
        text = flt.search.strip()
        query = query.where(or_(Household.number == text, Household.address.contains(text)))
    return query


async def page(conn: AsyncConnection, flt: HouseholdFilter, first: int, after: int | None) -> Page:
    return await fetch_page(conn, _filtered(select(*_COLUMNS), flt), Household.id, first, after)


async def count(conn: AsyncConnection, flt: HouseholdFilter) -> int:
    query = _filtered(select(func.count()).select_from(Household), flt)
    return int((await conn.execute(query)).scalar_one())


async def by_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[Row[Any]]:
    return list((await conn.execute(select(*_COLUMNS).where(Household.id.in_(ids)))).all())


async def paths_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, str | None]:
    query = select(Household.id, Grid.path).join(Grid, Grid.id == Household.grid_id)
    return {row.id: row.path for row in await conn.execute(query.where(Household.id.in_(ids)))}


async def members_of(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
    query = (
        select(HouseholdMember.household_id, HouseholdMember.resident_id, HouseholdMember.relation)
        .where(HouseholdMember.household_id.in_(ids))
        .order_by(HouseholdMember.household_id, HouseholdMember.id)
    )
    members: dict[int, list[Row[Any]]] = {}
    for row in await conn.execute(query):
        members.setdefault(row.household_id, []).append(row)  # type: ignore[arg-type]
    return members
