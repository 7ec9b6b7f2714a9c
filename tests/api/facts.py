"""Ground truth read straight from the store, to check API answers against."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from store.models import Grid, Household, Resident, ResidentTag, Task


@dataclass
class Facts:
    grids: dict[int, Any]
    residents: dict[int, Any]
    households: dict[int, Any]
    tasks: dict[int, Any]
    tags: dict[int, list[str]] = field(default_factory=dict)

    def path_of(self, grid_id: int) -> str:
        return str(self.grids[grid_id].path)

    def grid_by_code(self, code: str) -> Any:
        return next(g for g in self.grids.values() if g.code == code)

    def residents_under(self, path: str) -> set[int]:
        return {r.id for r in self.residents.values() if self.path_of(r.grid_id).startswith(path)}

    def busiest_leaf(self, exclude_community: str | None = None) -> Any:
        """The leaf grid with the most residents, optionally in another community."""
        counts: dict[int, int] = defaultdict(int)
        for r in self.residents.values():
            counts[r.grid_id] += 1
        for grid_id, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            grid = self.grids[grid_id]
            parent = self.grids[grid.parent_id]
            if exclude_community is None or parent.code != exclude_community:
                return grid
        raise AssertionError("no populated grid")


async def load_facts(engine: AsyncEngine) -> Facts:
    async with engine.connect() as conn:
        grids = {r.id: r for r in await conn.execute(select(*Grid.__table__.columns))}
        residents = {r.id: r for r in await conn.execute(select(*Resident.__table__.columns))}
        households = {r.id: r for r in await conn.execute(select(*Household.__table__.columns))}
        tasks = {r.id: r for r in await conn.execute(select(*Task.__table__.columns))}
        tags: dict[int, list[str]] = defaultdict(list)
        for row in await conn.execute(select(ResidentTag).order_by(ResidentTag.tag)):
            tags[row.resident_id].append(row.tag)
    return Facts(grids, residents, households, tasks, dict(tags))
