"""Small helpers the writers share: a model's Core table and batched executemany."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, text
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


async def reserve_ids(conn: AsyncConnection, table: Table, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, so rows can go in by plain executemany
    (an INSERT … RETURNING per row is many times slower). PostgreSQL draws them from
    the table's sequence; SQLite, whose writer holds the database lock for the whole
    transaction, continues after the largest key."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        draw = "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        drawn = await conn.execute(text(draw), {"table": table.name, "n": count})
        return sorted(int(value) for value in drawn.scalars())
    largest = (await conn.execute(select(func.max(table.c.id)))).scalar() or 0
    return list(range(largest + 1, largest + 1 + count))
