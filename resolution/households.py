"""Write a run's households: each keeps its ID while it keeps most of its members.

Households are derived entirely from the persons, so one that no longer has members
(all moved into another household, or gone) is removed. Numbers are unique: a number
held by a household outside this resolution (entered by hand) gets a suffix, and
numbers that move between households are freed before they are reassigned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.households import plan_households
from identity.stable import NEW, assign
from resolution.grids import GridLocator
from resolution.persons import PersonPlan
from resolution.records import StoredRecord
from resolution.sql import chunks, in_batches, reserve_ids, table_of
from store.models import Household, HouseholdMember, Resident, SourceRecord


async def write_households(
    conn: AsyncConnection,
    plans: list[PersonPlan],
    household_of_record: Sequence[int],
    records: Sequence[StoredRecord],
    locator: GridLocator,
) -> int:
    """Households of the resolved persons; returns how many there are."""
    owners = [plan.owner for plan in plans]
    label_of = [int(household_of_record[plan.records[0]]) for plan in plans]
    previous = await _previous(conn, owners)
    earlier = sorted({h for h in previous if h != NEW})
    kept = assign(np.array(label_of, np.int64), np.array(previous, np.int64), earlier)
    groups: dict[int, list[int]] = {}
    for person, label in enumerate(label_of):
        groups.setdefault(label, []).append(person)
    golden = {person: plan.golden.values for person, plan in enumerate(plans)}
    keys = {
        person: [
            (records[p].source, str(records[p].values.get("household_key") or ""))
            for p in plan.records
        ]
        for person, plan in enumerate(plans)
    }
    drafts = plan_households(groups, golden, keys)
    gone = kept.retired + [absorbed for _, absorbed in kept.merged]
    await _remove(conn, gone)
    ids = await _upsert(conn, drafts, kept.owner, owners, plans, locator)
    await _members(conn, drafts, ids, owners, previous)
    await _drop_empty(conn)
    return len(drafts)


async def _drop_empty(conn: AsyncConnection) -> None:
    """Households left without members (their last member merged into someone else's
    household) are removed; a household is its members."""
    members = select(HouseholdMember.household_id)
    claimed = select(SourceRecord.household_id).where(SourceRecord.household_id.is_not(None))
    empty = select(Household.id).where(Household.id.not_in(members), Household.id.not_in(claimed))
    gone = list((await conn.execute(empty)).scalars())
    await _remove(conn, gone)


async def _previous(conn: AsyncConnection, owners: list[int]) -> list[int]:
    found: dict[int, int] = {}
    for chunk in chunks(owners):
        query = select(Resident.id, Resident.household_id).where(Resident.id.in_(chunk))
        found.update({row.id: row.household_id for row in await conn.execute(query)})
    return [found.get(owner) or NEW for owner in owners]


async def _remove(conn: AsyncConnection, households: list[int]) -> None:
    for chunk in chunks(households):
        await conn.execute(delete(HouseholdMember).where(HouseholdMember.household_id.in_(chunk)))
        await conn.execute(
            update(Resident).where(Resident.household_id.in_(chunk)).values(household_id=None)
        )
        await conn.execute(delete(Household).where(Household.id.in_(chunk)))


async def _upsert(
    conn: AsyncConnection,
    drafts: dict[int, Any],
    owner: list[int],
    people: list[int],
    plans: list[PersonPlan],
    locator: GridLocator,
) -> dict[int, int]:
    """Household ID per draft label, inserting new households and updating kept ones."""
    kept_ids = {owner[label] for label in drafts if owner[label] != NEW}
    taken = {
        row.number
        for row in await conn.execute(select(Household.id, Household.number))
        if row.id not in kept_ids
    }
    rows: dict[int, dict[str, Any]] = {}
    for label, draft in drafts.items():
        number = draft.number or f"yw{people[draft.head]}"
        while number in taken:
            number = f"{number}-{len(taken) % 97 + 1}"
        taken.add(number)
        head_grid = plans[draft.head].row["grid_id"]
        rows[label] = {
            "number": number[:32],
            "address": (draft.address or "")[:200],
            "grid_id": locator.locate(draft.address) or head_grid,
            "head_resident_id": people[draft.head],
        }
    table = table_of(Household)
    kept = [label for label in drafts if owner[label] != NEW]
    free = update(table).where(table.c.id == bindparam("b_id")).values(number=bindparam("b_tmp"))
    await in_batches(conn, free, [{"b_id": owner[k], "b_tmp": f"~{owner[k]}"} for k in kept])
    columns = ("number", "address", "grid_id", "head_resident_id")
    values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
    change = update(table).where(table.c.id == bindparam("b_id")).values(**values)
    await in_batches(
        conn,
        change,
        [{"b_id": owner[k], **{f"v_{c}": v for c, v in rows[k].items()}} for k in kept],
    )
    ids = {label: owner[label] for label in kept}
    new = [label for label in drafts if owner[label] == NEW]
    inserted = await reserve_ids(conn, table, len(new))
    ids.update(zip(new, inserted, strict=True))
    await in_batches(conn, insert(table), [{"id": ids[k], **rows[k]} for k in new])
    return ids


async def _members(
    conn: AsyncConnection,
    drafts: dict[int, Any],
    ids: dict[int, int],
    people: list[int],
    previous: list[int],
) -> None:
    """Replace memberships that differ from the drafts; point residents at their household."""
    wanted = {
        (ids[label], people[p], relation)
        for label, draft in drafts.items()
        for p, relation in draft.relations.items()
    }
    ours = set(people)
    stored = {
        (row.household_id, row.resident_id, row.relation)
        for row in await conn.execute(
            select(HouseholdMember.household_id, HouseholdMember.resident_id,
                   HouseholdMember.relation)
        )
        if row.resident_id in ours
    }  # fmt: skip
    stale = stored - wanted
    table = table_of(HouseholdMember)
    gone = delete(table).where(
        table.c.household_id == bindparam("b_h"), table.c.resident_id == bindparam("b_r")
    )
    await in_batches(conn, gone, [{"b_h": h, "b_r": r} for h, r, _ in stale])
    added = wanted - stored
    rows = [{"household_id": h, "resident_id": r, "relation": rel[:16]} for h, r, rel in added]
    await in_batches(conn, insert(HouseholdMember), rows)
    resident = table_of(Resident)
    point = (
        update(resident)
        .where(resident.c.id == bindparam("b_r"))
        .values(household_id=bindparam("b_h"))
    )
    moved = [
        {"b_r": people[p], "b_h": ids[label]}
        for label, draft in drafts.items()
        for p in draft.members
        if previous[p] != ids[label]
    ]
    await in_batches(conn, point, moved)
