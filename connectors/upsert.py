"""Writing records: the idempotent upsert and the quarantine, inside a page's transaction.

Both look up what the store already holds for the page's keys first (one query), then
write only what is new or changed, in bulk (``writers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from connectors.canonical import dumps
from connectors.runs import Checkpoint, now
from connectors.writers import Stored, Writer
from store.models import QuarantinedRecord
from store.models.sync import SyncMode

CHUNK = 500  # keys per IN (...) list


@dataclass(slots=True)
class Good:
    source_id: str
    payload: Any
    record: dict[str, Any]
    content_hash: str
    payload_json: str  # canonical JSON, computed for the hash and stored as it is


@dataclass(slots=True)
class Bad:
    source_id: str | None
    field: str
    reason: str
    payload: Any
    payload_hash: str
    page: str


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


async def stored(driver: Any, writer: Writer, checkpoint: Checkpoint, page: list[Good]) -> Stored:
    """What the store holds for the page's keys: one indexed query, by source_id."""
    if not page:
        return {}
    keys = list({good.source_id: None for good in page})
    return await writer.stored(driver, checkpoint.source, checkpoint.kind, keys)


async def upsert(
    driver: Any,
    writer: Writer,
    checkpoint: Checkpoint,
    page: list[Good],
    existing: Stored,
    stamp: Any,
) -> tuple[int, int, int]:
    """Insert new records, update changed ones; return (inserted, updated, unchanged).

    ``existing`` is what ``stored`` found; ``stamp`` the fetch time as the driver takes
    it. In a full pass an unchanged record is only marked as seen by the pass. New and
    changed records go in with the canonical JSON already made for their hash.
    """
    records = {g.source_id: g for g in page}  # a key twice: the last wins
    seen = checkpoint.pass_run_id
    source, kind, full = checkpoint.source, checkpoint.kind, checkpoint.mode == SyncMode.FULL
    inserts, updates, touch = [], [], []
    unchanged = 0
    for source_id, good in records.items():
        row = existing.get(source_id)
        if row is None:
            payload, record, digest = good.payload_json, dumps(good.record), good.content_hash
            inserts.append((source, kind, source_id, payload, record, digest, stamp, False, seen))
        elif row[1] != good.content_hash or row[2]:
            payload, record = good.payload_json, dumps(good.record)
            updates.append((payload, record, good.content_hash, stamp, seen, row[0]))
        else:
            unchanged += 1
            if full and row[3] != seen:
                touch.append(row[0])
    if inserts:
        await writer.insert(driver, inserts)
    if updates:
        await writer.update(driver, updates)
    if touch:
        await writer.touch(driver, seen, touch)
    return len(inserts), len(updates), unchanged


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
