"""Write a run's residents: new ones inserted, changed ones updated, merges redirected,
records reassigned, tags replaced, events recorded. A resident whose golden record,
grid and records are as the last run left them is not written at all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.stable import NEW, Assignment
from resolution.persons import PersonPlan
from resolution.records import StoredRecord
from resolution.sql import chunks, in_batches, reserve_ids, table_of
from store.models import (
    EventKind,
    HouseholdMember,
    IdentityEvent,
    Resident,
    ResidentTag,
    SourceRecord,
)

COMPARED = (
    "name", "gender", "birth_date", "id_number", "phone", "residence_address",
    "registered_address", "grid_id", "provenance",
)  # fmt: skip


async def write_residents(
    conn: AsyncConnection, run_id: int, plans: list[PersonPlan], assignment: Assignment
) -> set[int]:
    """Insert and update residents; returns the IDs of residents written."""
    new = [plan for plan in plans if plan.owner == NEW]
    ids = await reserve_ids(conn, table_of(Resident), len(new))
    for plan, resident in zip(new, ids, strict=True):
        plan.owner = resident
    await in_batches(conn, insert(Resident), [{"id": p.owner, **p.row} for p in new])
    fresh = {plan.owner for plan in new}
    stored = await _stored(conn, [plan.owner for plan in plans if plan.owner not in fresh])
    changed = [
        plan
        for plan in plans
        if plan.owner in stored and any(stored[plan.owner][c] != plan.row[c] for c in COMPARED)
    ]
    table = table_of(Resident)
    if changed:
        values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in COMPARED}
        change = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(**values, version=table.c.version + 1)
        )
        rows = [{"b_id": p.owner, **{f"v_{c}": p.row[c] for c in COMPARED}} for p in changed]
        await in_batches(conn, change, rows)
    written = fresh | {plan.owner for plan in changed}
    await _merge(conn, assignment)
    await _events(conn, run_id, plans, assignment)
    await _tags(conn, [p for p in plans if p.owner in written])
    return written


async def reassign_records(
    conn: AsyncConnection,
    records: Sequence[StoredRecord],
    previous: NDArray[np.int64],
    plans: list[PersonPlan],
) -> int:
    owner = np.full(len(records), NEW, dtype=np.int64)
    for plan in plans:
        owner[plan.records] = plan.owner
    moved = np.flatnonzero(owner != previous)
    table = table_of(SourceRecord)
    statement = (
        update(table).where(table.c.id == bindparam("b_id")).values(resident_id=bindparam("b_to"))
    )
    rows = [{"b_id": records[i].id, "b_to": int(owner[i])} for i in moved.tolist()]
    await in_batches(conn, statement, rows)
    return len(rows)


async def _merge(conn: AsyncConnection, assignment: Assignment) -> None:
    """Absorbed residents redirect to their survivor and leave their households (the
    survivor's membership is written with the households)."""
    table = table_of(Resident)
    for survivor, absorbed in assignment.merged:
        await conn.execute(
            update(table)
            .where((table.c.id == absorbed) | (table.c.merged_into_id == absorbed))
            .values(merged_into_id=survivor)
        )
        await conn.execute(delete(HouseholdMember).where(HouseholdMember.resident_id == absorbed))
        await conn.execute(update(table).where(table.c.id == absorbed).values(household_id=None))


async def _events(
    conn: AsyncConnection, run_id: int, plans: list[PersonPlan], assignment: Assignment
) -> None:
    owner = {plan.label: plan.owner for plan in plans}
    rows: list[dict[str, Any]] = []

    def event(kind: EventKind, resident: int, other: int | None, reason: str) -> None:
        rows.append(
            {"run_id": run_id, "kind": kind, "resident_id": resident, "other_id": other,
             "reason": reason}
        )  # fmt: skip

    for label in assignment.created:
        event(EventKind.CREATED, owner[label], None, "records of a person not seen before")
    for survivor, absorbed in assignment.merged:
        event(EventKind.MERGED, survivor, absorbed, "their records now match as one person")
    for source, label in assignment.split:
        event(EventKind.SPLIT, source, owner[label], "some of its records no longer match it")
    for resident in assignment.retired:
        event(EventKind.RETIRED, resident, None, "no department holds a record of it any more")
    await in_batches(conn, insert(IdentityEvent), rows)


async def _tags(conn: AsyncConnection, plans: list[PersonPlan]) -> None:
    ids = [plan.owner for plan in plans]
    for chunk in chunks(ids):
        await conn.execute(delete(ResidentTag).where(ResidentTag.resident_id.in_(chunk)))
    rows = [{"resident_id": p.owner, "tag": tag[:32]} for p in plans for tag in p.golden.tags]
    await in_batches(conn, insert(ResidentTag), rows)


async def _stored(conn: AsyncConnection, ids: list[int]) -> dict[int, dict[str, Any]]:
    table = table_of(Resident)
    columns = [table.c.id, *(table.c[c] for c in COMPARED)]
    stored: dict[int, dict[str, Any]] = {}
    for chunk in chunks(ids):
        query = select(*columns).where(table.c.id.in_(chunk))
        for row in (await conn.execute(query)).mappings():
            stored[row["id"]] = {c: _plain(row[c]) for c in COMPARED}
    return stored


def _plain(value: Any) -> Any:
    """Enum columns come back as enums; rows compare as their stored text."""
    return value.value if hasattr(value, "value") and not isinstance(value, dict) else value
