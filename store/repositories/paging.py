"""Keyset pages: rows ordered by primary key, one extra row fetched to know if more follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import InstrumentedAttribute


@dataclass(frozen=True)
class Page:
    rows: Sequence[Any]
    has_next: bool


async def fetch_page(
    conn: AsyncConnection,
    query: Select[Any],
    key: InstrumentedAttribute[int],
    first: int,
    after: int | None,
) -> Page:
    if after is not None:
        query = query.where(key > after)
    result = await conn.execute(query.order_by(key).limit(first + 1))
    rows = result.all()
    return Page(rows=rows[:first], has_next=len(rows) > first)
