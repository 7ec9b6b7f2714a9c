"""The demo's accounts: one per role, with the grid each is scoped to."""

from __future__ import annotations

from sqlalchemy import select

from store import create_engine
from store.base import Role
from store.models import Grid, User


async def demo_accounts(database_url: str) -> list[tuple[Role, str, str]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            query = (
                select(User.role, Grid.code, Grid.name)
                .join(Grid, Grid.id == User.grid_id)
                .order_by(User.id)
            )
            return [(Role(row[0]), row[1], row[2]) for row in await conn.execute(query)]
    finally:
        await engine.dispose()
