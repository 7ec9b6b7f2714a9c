"""Small helpers the writers share: a model's Core table and batched executemany."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection

BATCH = 2000  # rows per executemany, and IDs per IN (…) list


def table_of(model: Any) -> Table:
    table: Table = model.__table__
    return table


async def in_batches(conn: AsyncConnection, statement: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.execute(statement, rows[start : start + BATCH])


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
