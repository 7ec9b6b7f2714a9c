"""Writing records: the idempotent upsert and the quarantine, inside a page's transaction.

Both look up what the store already holds for the page's keys first, then write only
what is new or changed, with one executemany each.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from connectors.runs import Checkpoint, now
from store.models import QuarantinedRecord, SourceRecord
from store.models.sync import SyncMode

CHUNK = 500  # keys per IN (...) list
_TABLE = cast(Table, SourceRecord.__table__)


@dataclass(frozen=True)
class Good:
    source_id: str
    payload: Any
    record: dict[str, Any]
    content_hash: str
    payload_json: str  # canonical JSON, computed for the hash and stored as it is


@dataclass(frozen=True)
class Bad:
    source_id: str | None
    field: str
    reason: str
    payload: Any
    payload_hash: str
    page: str


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


async def upsert(
    conn: AsyncConnection, checkpoint: Checkpoint, page: list[Good], fetched_at: datetime
) -> tuple[int, int, int]:
    """Insert new records, update changed ones; return (inserted, updated, unchanged).

    In a full pass an unchanged record is only marked as seen by the pass.
    """
    records = {g.source_id: g for g in page}  # a key twice: the last wins
    existing: dict[str, Any] = {}
    for chunk in _chunks(list(records)):
        rows = await conn.execute(
            select(
                SourceRecord.id,
                SourceRecord.source_id,
                SourceRecord.content_hash,
                SourceRecord.deleted,
                SourceRecord.last_seen_run_id,
            ).where(
                SourceRecord.source == checkpoint.source,
                SourceRecord.kind == checkpoint.kind,
                SourceRecord.source_id.in_(chunk),
            )
        )
        existing.update({row.source_id: row for row in rows})
    seen = checkpoint.pass_run_id
    inserts: list[Good] = []
    updates, touch = [], []
    unchanged = 0
    for source_id, good in records.items():
        row = existing.get(source_id)
        if row is None:
            inserts.append(good)
        elif row.content_hash != good.content_hash or row.deleted:
            updates.append(
                {
                    "b_id": row.id,
                    "b_payload": good.payload,
                    "b_record": good.record,
                    "b_hash": good.content_hash,
                }
            )
        else:
            unchanged += 1
            if checkpoint.mode == SyncMode.FULL and row.last_seen_run_id != seen:
                touch.append(row.id)
    if inserts:
        await _insert(conn, checkpoint, fetched_at, inserts)
    if updates:
        await conn.execute(
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("b_id"))
            .values(
                payload=bindparam("b_payload"),
                record=bindparam("b_record"),
                content_hash=bindparam("b_hash"),
                fetched_at=fetched_at,
                deleted=False,
                last_seen_run_id=seen,
            ),
            updates,
        )
    for chunk in _chunks(touch):
        await conn.execute(
            update(SourceRecord).where(SourceRecord.id.in_(chunk)).values(last_seen_run_id=seen)
        )
    return len(inserts), len(updates), unchanged


_INSERT_COLUMNS = (
    "source",
    "kind",
    "source_id",
    "payload",
    "record",
    "content_hash",
    "fetched_at",
    "deleted",
    "last_seen_run_id",
)


async def _insert(
    conn: AsyncConnection, checkpoint: Checkpoint, fetched_at: datetime, records: list[Good]
) -> None:
    """New records in one driver-level executemany: the bulk of a first sync.

    The payload goes in as the canonical JSON already made for its hash; the fetch time
    passes through the column type's own bind processing, once per page.
    """
    dialect = conn.dialect
    marks = [
        "?" if dialect.paramstyle == "qmark" else f"${n}"
        for n in range(1, len(_INSERT_COLUMNS) + 1)
    ]
    sql = f"INSERT INTO source_record ({', '.join(_INSERT_COLUMNS)}) VALUES ({', '.join(marks)})"
    to_db = _TABLE.c.fetched_at.type.bind_processor(dialect)
    stamp = to_db(fetched_at) if to_db else fetched_at
    source, kind, seen = checkpoint.source, checkpoint.kind, checkpoint.pass_run_id
    rows = [
        (
            source,
            kind,
            good.source_id,
            good.payload_json,
            json.dumps(good.record, ensure_ascii=False),
            good.content_hash,
            stamp,
            False,
            seen,
        )
        for good in records
    ]
    await conn.exec_driver_sql(sql, rows)


async def quarantine(
    conn: AsyncConnection, run_id: int, checkpoint: Checkpoint, bad: list[Bad]
) -> None:
    """Keep each bad record once: the same payload seen again is not quarantined twice."""
    if not bad:
        return
    by_hash = {b.payload_hash: b for b in bad}
    known: set[str] = set()
    for chunk in _chunks(list(by_hash)):
        known.update(
            await conn.scalars(
                select(QuarantinedRecord.payload_hash).where(
                    QuarantinedRecord.source == checkpoint.source,
                    QuarantinedRecord.kind == checkpoint.kind,
                    QuarantinedRecord.payload_hash.in_(chunk),
                )
            )
        )
    rows = [
        {
            "source": checkpoint.source,
            "kind": checkpoint.kind,
            "resource": checkpoint.resource,
            "run_id": run_id,
            "page": b.page[:300],
            "source_id": b.source_id,
            "field": b.field[:100],
            "reason": b.reason,
            "payload": b.payload,
            "payload_hash": h,
            "quarantined_at": now(),
        }
        for h, b in by_hash.items()
        if h not in known
    ]
    if rows:
        await conn.execute(insert(QuarantinedRecord), rows)
