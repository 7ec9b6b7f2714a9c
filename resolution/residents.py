"""What a person's decision rewrites about a resident, at once: its golden record and
tags, its explanation (match edges) and its household.

A run recomputes every golden record; a merge, split or entered value changes one or
two residents now, without waiting for the next run. The rules are the run's
(``identity.survive`` over the resident's live records, cadre values first, then
``resident_row`` for the columns), so the next run finds nothing left to rewrite.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.survive import FIELDS, CadreValue, Golden, SourceValues, survive
from resolution.grids import GridLocator
from resolution.persons import resident_row
from resolution.records import aware, load_cadre_values
from store.models import (
    Household,
    HouseholdMember,
    MatchEdge,
    Resident,
    ResidentTag,
    SourceRecord,
)

_KEPT = ("name", "id_number", "gender", "birth_date", "phone", "residence_address",
         "registered_address")  # fmt: skip


class DecisionError(ValueError):
    """A person's decision that cannot be applied as asked."""


class NotFoundError(DecisionError):
    """The decision names a resident, record or review pair that does not exist."""


async def lock_active(conn: AsyncConnection, *ids: int) -> dict[int, Row[Any]]:
    """The residents a decision changes, locked in ID order (so two decisions on the
    same residents wait for each other instead of deadlocking); each must exist and
    must not have been merged away."""
    query = (
        select(*Resident.__table__.columns)
        .where(Resident.id.in_(ids))
        .order_by(Resident.id)
        .with_for_update()
    )
    found = {row.id: row for row in await conn.execute(query)}
    for resident in ids:
        row = found.get(resident)
        if row is None:
            raise NotFoundError(f"No resident {resident}")
        if row.merged_into_id is not None:
            raise DecisionError(
                f"Resident {resident} was merged into resident {row.merged_into_id}; "
                "decide on that one instead"
            )
    return found


async def records_of(conn: AsyncConnection, *residents: int) -> list[Row[Any]]:
    """The person records of residents, in ID order, deleted ones included."""
    query = (
        select(
            SourceRecord.id, SourceRecord.source, SourceRecord.source_id, SourceRecord.fetched_at,
            SourceRecord.record, SourceRecord.deleted, SourceRecord.resident_id,
        )
        .where(SourceRecord.resident_id.in_(residents), SourceRecord.kind == "person")
        .order_by(SourceRecord.id)
    )  # fmt: skip
    return list((await conn.execute(query)).all())


async def create(conn: AsyncConnection, records: list[Row[Any]], locator: GridLocator) -> int:
    """A new resident made of ``records`` (split off another); returns its ID."""
    golden = _golden([r for r in records if not r.deleted], {})
    statement = insert(Resident).values(**resident_row(golden, locator)).returning(Resident.id)
    resident = int((await conn.execute(statement)).scalar_one())
    await _write_tags(conn, resident, golden)
    return resident


async def refresh(conn: AsyncConnection, stored: Row[Any], locator: GridLocator) -> None:
    """Recompute one resident's golden record, tags and grid from its live records and
    cadre values, and count the change in its version."""
    records = [r for r in await records_of(conn, stored.id) if not r.deleted]
    cadre = (await load_cadre_values(conn, [stored.id])).get(stored.id, {})
    golden = _golden(records, cadre)
    if not records:
        golden = _keep_stored(golden, stored)
    row = resident_row(golden, locator)
    if not records:
        row["grid_id"] = stored.grid_id  # nothing to place it by but the cadre's own choice
    statement = (
        update(Resident).where(Resident.id == stored.id).values(**row, version=Resident.version + 1)
    )
    await conn.execute(statement)
    if records:
        await conn.execute(delete(ResidentTag).where(ResidentTag.resident_id == stored.id))
        await _write_tags(conn, stored.id, golden)


def _golden(records: list[Row[Any]], cadre: Mapping[str, CadreValue]) -> Golden:
    views = [
        SourceValues(r.source, r.source_id, aware(r.fetched_at), r.record or {}) for r in records
    ]
    return survive(views, cadre)


def sources_value(records: list[Row[Any]], field: str) -> str | None:
    """What the department records alone make of a field, as text: the value a cadre's
    entry replaces, kept so that only a later change of that field undoes the entry."""
    value = _golden(records, {}).values.get(field)
    if value is None:
        return None
    return str(value.isoformat() if hasattr(value, "isoformat") else value)[:200]


async def _write_tags(conn: AsyncConnection, resident: int, golden: Golden) -> None:
    tags = [{"resident_id": resident, "tag": tag[:32]} for tag in golden.tags]
    if tags:
        await conn.execute(insert(ResidentTag), tags)


def _keep_stored(golden: Golden, stored: Row[Any]) -> Golden:
    """A resident no department holds (retired, or entered by hand) keeps what it shows;
    only the values cadres entered change it."""
    values = dict(golden.values)
    provenance = dict(golden.provenance)
    earlier = stored.provenance or {}
    for name in FIELDS:
        if name in golden.provenance or name not in _KEPT:
            continue
        values[name] = stored._mapping[name]
        if name in earlier:
            provenance[name] = earlier[name]
    return Golden(values, provenance, golden.tags)


async def require_own(conn: AsyncConnection, resident_id: int, foreign: set[int]) -> None:
    """``foreign``: records named as the resident's that are not: unknown, or another's."""
    if not foreign:
        return
    query = select(SourceRecord.id).where(SourceRecord.id.in_(foreign))
    known = set((await conn.execute(query)).scalars())
    if foreign - known:
        raise NotFoundError(f"No source record {min(foreign - known)}")
    raise DecisionError(f"Record {min(foreign)} does not belong to resident {resident_id}")


async def merge_edges(
    conn: AsyncConnection, survivor: int, merged: int, joined: tuple[int, int]
) -> None:
    """The survivor's explanation: both residents' edges, and the manual one that
    ``joined`` them (no score: a person decided)."""
    edges = MatchEdge.resident_id == merged
    await conn.execute(update(MatchEdge).where(edges).values(resident_id=survivor))
    edge = {"resident_id": survivor, "left_record_id": joined[0], "right_record_id": joined[1],
            "probability": 1.0, "match_weight": 0.0, "explanation": [], "manual": True}  # fmt: skip
    await conn.execute(insert(MatchEdge).values(edge))


async def split_edges(conn: AsyncConnection, resident: int, new: int, off: set[int]) -> None:
    """Edges among the records split ``off`` go with them; edges across the split no
    longer explain anything and are dropped."""
    query = select(MatchEdge.id, MatchEdge.left_record_id, MatchEdge.right_record_id)
    carried, crossing = [], []
    for edge in await conn.execute(query.where(MatchEdge.resident_id == resident)):
        inside = (edge.left_record_id in off, edge.right_record_id in off)
        if all(inside):
            carried.append(edge.id)
        elif any(inside):
            crossing.append(edge.id)
    await conn.execute(update(MatchEdge).where(MatchEdge.id.in_(carried)).values(resident_id=new))
    await conn.execute(delete(MatchEdge).where(MatchEdge.id.in_(crossing)))


async def join_households(conn: AsyncConnection, survivor: int, merged: int) -> None:
    """The survivor takes the merged resident's place in its household when it has none
    of its own; otherwise the merged resident just leaves. A household it headed is
    headed by the survivor, else by its first remaining member; one left empty goes."""

    def membership(resident: int) -> Any:
        return select(HouseholdMember.household_id).where(HouseholdMember.resident_id == resident)

    theirs = (await conn.execute(membership(merged))).scalar()
    if theirs is not None and (await conn.execute(membership(survivor))).first() is None:
        member = HouseholdMember.resident_id == merged
        await conn.execute(update(HouseholdMember).where(member).values(resident_id=survivor))
        await conn.execute(
            update(Resident).where(Resident.id == survivor).values(household_id=theirs)
        )
    await conn.execute(delete(HouseholdMember).where(HouseholdMember.resident_id == merged))
    await conn.execute(update(Resident).where(Resident.id == merged).values(household_id=None))
    headed = select(Household.id).where(Household.head_resident_id == merged)
    for household in list((await conn.execute(headed)).scalars()):
        members = select(HouseholdMember.resident_id).where(
            HouseholdMember.household_id == household
        )
        left = list((await conn.execute(members.order_by(HouseholdMember.id))).scalars())
        if left:
            head = survivor if survivor in left else left[0]
            await conn.execute(
                update(Household).where(Household.id == household).values(head_resident_id=head)
            )
        else:
            await _drop_empty(conn, household)


async def _drop_empty(conn: AsyncConnection, household: int) -> None:
    """Households come from the records; an empty one only stays if a record names it."""
    named = select(SourceRecord.id).where(SourceRecord.household_id == household).limit(1)
    if (await conn.execute(named)).first() is None:
        await conn.execute(update(Resident).where(Resident.household_id == household).values(
            household_id=None))  # fmt: skip
        await conn.execute(delete(Household).where(Household.id == household))
    else:
        await conn.execute(
            update(Household).where(Household.id == household).values(head_resident_id=None)
        )
