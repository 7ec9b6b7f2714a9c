"""Which grid an address lies in: the community by name, then the leaf grid whose
``covers`` ("1-24栋", "5-8组") holds the building or village group.

Community names recur (every town has a 城中社区), so when several communities share
a name the street or district written in the address decides, and an address that
stays ambiguous is not placed in any of them. An address that names no known
community, or none at all (registered elsewhere, or missing), falls back to the
caller's default: the person is then only visible city-wide until a cadre places them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.addresses import parse_address
from store.base import GridLevel
from store.models import Grid

_COVERS = re.compile(r"(\d+)-(\d+)(栋|组)")


@dataclass(frozen=True, slots=True)
class _Leaf:
    id: int
    low: int
    high: int
    unit: str  # 栋 or 组


@dataclass(frozen=True, slots=True)
class _Community:
    id: int
    ancestors: tuple[str, ...]  # names of its street, district, city
    leaves: tuple[_Leaf, ...]


class GridLocator:
    def __init__(self, grids: Sequence[Any]) -> None:
        """``grids``: rows with the ``grid`` table's columns."""
        by_id = {grid.id: grid for grid in grids}
        self.root = next(grid.id for grid in grids if grid.parent_id is None)
        leaves: dict[int, list[_Leaf]] = {}
        for grid in grids:
            found = _COVERS.fullmatch(grid.covers or "")
            if grid.level is GridLevel.GRID and grid.parent_id and found:
                low, high, unit = int(found[1]), int(found[2]), found[3]
                leaves.setdefault(grid.parent_id, []).append(_Leaf(grid.id, low, high, unit))
        self.communities: dict[str, list[_Community]] = {}
        for grid in grids:
            if grid.level is not GridLevel.COMMUNITY:
                continue
            names: list[str] = []
            parent = by_id.get(grid.parent_id or -1)
            while parent is not None:
                names.append(parent.name)
                parent = by_id.get(parent.parent_id or -1)
            entry = _Community(grid.id, tuple(names), tuple(leaves.get(grid.id, ())))
            self.communities.setdefault(grid.name, []).append(entry)

    def locate(self, address: object) -> int | None:
        """The grid of an address, as deep as the address allows; None if unknown."""
        parsed, _ = parse_address(address)
        if parsed is None or parsed.community is None:
            return None
        candidates = self.communities.get(parsed.community, [])
        if len(candidates) > 1:
            written = {parsed.street, parsed.district} - {None}
            candidates = [c for c in candidates if written & set(c.ancestors)]
        if len(candidates) != 1:
            return None
        community = candidates[0]
        number = parsed.building if parsed.group is None else parsed.group
        unit = "栋" if parsed.group is None else "组"
        if number is not None and number.isdigit():
            for leaf in community.leaves:
                if leaf.unit == unit and leaf.low <= int(number) <= leaf.high:
                    return leaf.id
        return community.id


async def load_locator(conn: AsyncConnection) -> GridLocator:
    return GridLocator((await conn.execute(select(*Grid.__table__.columns))).all())
