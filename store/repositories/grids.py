"""Grid tree queries: lookups, children, and statistics over a subtree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import GridLevel
from store.models import Grid, Household, Resident, ResidentTag
from store.repositories.residents import active
from store.repositories.scope import grid_in_subtree

_COLUMNS = Grid.__table__.columns


async def by_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[Row[Any]]:
    return list((await conn.execute(select(*_COLUMNS).where(Grid.id.in_(ids)))).all())


async def by_codes(conn: AsyncConnection, codes: Sequence[str]) -> list[Row[Any]]:
    return list((await conn.execute(select(*_COLUMNS).where(Grid.code.in_(codes)))).all())


async def children_of(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
    query = select(*_COLUMNS).where(Grid.parent_id.in_(ids)).order_by(Grid.code)
    children: dict[int, list[Row[Any]]] = {}
    for row in await conn.execute(query):
        children.setdefault(row.parent_id, []).append(row)
    return children


async def listing(
    conn: AsyncConnection, parent_id: int | None, level: GridLevel | None, roots_only: bool
) -> list[Row[Any]]:
    query = select(*_COLUMNS).order_by(Grid.code)
    if parent_id is not None:
        query = query.where(Grid.parent_id == parent_id)
    elif roots_only:
        query = query.where(Grid.parent_id.is_(None))
    if level is not None:
        query = query.where(Grid.level == level)
    return list((await conn.execute(query)).all())


@dataclass
class GridStats:
    residents: int = 0
    households: int = 0
    tags: dict[str, int] = field(default_factory=dict)


async def stats(conn: AsyncConnection, path: str | None) -> GridStats:
    """Counts of residents, households and residents per tag in a subtree
    (``""`` is the empty subtree); a merged resident is not counted beside its survivor."""
    if path == "":
        return GridStats()
    residents = select(func.count()).select_from(Resident).where(active())
    households = select(func.count()).select_from(Household)
    by_tag = (
        select(ResidentTag.tag, func.count())
        .join(Resident, Resident.id == ResidentTag.resident_id)
        .where(grid_in_subtree(Resident.grid_id, path), active())
        .group_by(ResidentTag.tag)
        .order_by(ResidentTag.tag)
    )
    return GridStats(
        residents=int(
            (
                await conn.execute(residents.where(grid_in_subtree(Resident.grid_id, path)))
            ).scalar_one()
        ),
        households=int(
            (
                await conn.execute(households.where(grid_in_subtree(Household.grid_id, path)))
            ).scalar_one()
        ),
        tags={row[0]: int(row[1]) for row in await conn.execute(by_tag)},
    )
