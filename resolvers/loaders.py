"""DataLoaders, built per request: one query per batch of keys, never one per row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from strawberry.dataloader import DataLoader

from store.repositories import grids, households, identity, residents, sources, tasks

K = TypeVar("K")
V = TypeVar("V")


def _grouped(
    engine: AsyncEngine,
    fetch: Callable[[AsyncConnection, Sequence[K]], Awaitable[dict[K, V]]],
    missing: Callable[[], V],
) -> DataLoader[K, V]:
    """A loader over a fetch returning ``{key: value}``; absent keys get ``missing()``."""

    async def load(keys: list[K]) -> list[V]:
        async with engine.connect() as conn:
            found = await fetch(conn, keys)
        return [found.get(key, missing()) for key in keys]

    return DataLoader(load_fn=load)


def _rows_by(
    engine: AsyncEngine,
    fetch: Callable[[AsyncConnection, Sequence[K]], Awaitable[list[Row[Any]]]],
    key: str = "id",
) -> DataLoader[K, Row[Any] | None]:
    async def by_key(conn: AsyncConnection, keys: Sequence[K]) -> dict[K, Row[Any] | None]:
        return {getattr(row, key): row for row in await fetch(conn, keys)}

    return _grouped(engine, by_key, lambda: None)


@dataclass
class Loaders:
    grid: DataLoader[int, Row[Any] | None]
    grid_by_code: DataLoader[str, Row[Any] | None]
    grid_children: DataLoader[int, list[Row[Any]]]
    household: DataLoader[int, Row[Any] | None]
    household_members: DataLoader[int, list[Row[Any]]]
    household_path: DataLoader[int, str | None]
    resident: DataLoader[int, Row[Any] | None]
    resident_path: DataLoader[int, str | None]
    resident_tags: DataLoader[int, list[str]]
    resident_sources: DataLoader[int, list[Row[Any]]]
    resident_edges: DataLoader[int, list[Row[Any]]]
    department: DataLoader[int, Row[Any] | None]

    @classmethod
    def build(cls, engine: AsyncEngine) -> Loaders:
        return cls(
            grid=_rows_by(engine, grids.by_ids),
            grid_by_code=_rows_by(engine, grids.by_codes, key="code"),
            grid_children=_grouped(engine, grids.children_of, list),
            household=_rows_by(engine, households.by_ids),
            household_members=_grouped(engine, households.members_of, list),
            household_path=_grouped(engine, households.paths_by_ids, lambda: None),
            resident=_rows_by(engine, residents.by_ids),
            resident_path=_grouped(engine, residents.paths_by_ids, lambda: None),
            resident_tags=_grouped(engine, residents.tags_by_resident, list),
            resident_sources=_grouped(engine, sources.by_resident, list),
            resident_edges=_grouped(engine, identity.edges_by_resident, list),
            department=_rows_by(engine, tasks.departments),
        )
