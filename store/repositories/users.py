"""Accounts: each user's role and the grid it is scoped to."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import Role
from store.models import Grid, User


async def accounts(conn: AsyncConnection) -> list[tuple[Role, str, str]]:
    """(role, grid code, grid name) of every active user, in creation order."""
    query = (
        select(User.role, Grid.code, Grid.name)
        .join(Grid, Grid.id == User.grid_id)
        .where(User.active.is_(True))
        .order_by(User.id)
    )
    return [(Role(row[0]), row[1], row[2]) for row in await conn.execute(query)]
