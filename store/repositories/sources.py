"""Source records (provenance) by the resident or household they belong to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from store.models import SourceRecord

_COLUMNS = SourceRecord.__table__.columns


async def by_resident(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
    query = (
        select(*_COLUMNS)
        .where(SourceRecord.resident_id.in_(ids))
        .order_by(SourceRecord.resident_id, SourceRecord.source, SourceRecord.source_id)
    )
    records: dict[int, list[Row[Any]]] = {}
    for row in await conn.execute(query):
        records.setdefault(row.resident_id, []).append(row)
    return records
