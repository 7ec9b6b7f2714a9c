"""Task and department queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import TaskStatus
from store.models import Department, Grid, Task
from store.repositories.paging import Page, fetch_page
from store.repositories.scope import grid_in_subtree

_COLUMNS = Task.__table__.columns


@dataclass(frozen=True)
class TaskFilter:
    scope: str | None = None  # the caller's grid path
    community_path: str | None = None
    status: TaskStatus | None = None
    department_id: int | None = None


def visible_to(scope: str | None) -> ColumnElement[bool]:
    """Tasks of communities inside the caller's subtree, and of the caller's own
    community when the caller sits below it (a grid worker works for its community)."""
    inside = grid_in_subtree(Task.community_id, scope)
    if not scope:
        return inside
    codes = [code for code in scope.strip("/").split("/") if code]
    ancestors = [f"/{'/'.join(codes[: n + 1])}/" for n in range(len(codes))]
    above = Task.community_id.in_(select(Grid.id).where(Grid.path.in_(ancestors)))
    return or_(inside, above)


def _filtered(query: Select[Any], flt: TaskFilter) -> Select[Any]:
    query = query.where(visible_to(flt.scope))
    if flt.community_path is not None:
        query = query.where(grid_in_subtree(Task.community_id, flt.community_path))
    if flt.status is not None:
        query = query.where(Task.status == flt.status)
    if flt.department_id is not None:
        query = query.where(Task.department_id == flt.department_id)
    return query


async def page(conn: AsyncConnection, flt: TaskFilter, first: int, after: int | None) -> Page:
    return await fetch_page(conn, _filtered(select(*_COLUMNS), flt), Task.id, first, after)


async def count(conn: AsyncConnection, flt: TaskFilter) -> int:
    query = _filtered(select(func.count()).select_from(Task), flt)
    return int((await conn.execute(query)).scalar_one())


async def visible_ids(conn: AsyncConnection, scope: str | None, ids: Sequence[int]) -> set[int]:
    query = select(Task.id).where(Task.id.in_(ids), visible_to(scope))
    return set((await conn.execute(query)).scalars())


async def by_ids(conn: AsyncConnection, ids: Sequence[int]) -> list[Row[Any]]:
    return list((await conn.execute(select(*_COLUMNS).where(Task.id.in_(ids)))).all())


async def departments(conn: AsyncConnection, ids: Sequence[int] | None = None) -> list[Row[Any]]:
    query = select(*Department.__table__.columns).order_by(Department.code)
    if ids is not None:
        query = query.where(Department.id.in_(ids))
    return list((await conn.execute(query)).all())
