"""Provisional linking of source records to residents, until full resolution runs.

Until the resolver (block → compare → score → cluster) builds golden records, the demo's
residents are attached to the department records that carry their exact ID number: a
record whose ID is valid (or a legacy 15-digit form, upgraded) and equal to a resident's
is linked to that resident. The rule is exact and conservative; it never links two
different people, and it leaves every other record unlinked rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.idnumber import IdStatus, parse_id_number
from store.models import Resident, SourceRecord

BATCH = 1000


@dataclass(frozen=True)
class LinkSummary:
    linked: int
    unmatched: int


async def link_by_id_number(engine: AsyncEngine) -> LinkSummary:
    """Link every unlinked person record whose ID number names exactly one resident."""
    async with engine.connect() as conn:
        residents: dict[str, list[int]] = {}
        for row in await conn.execute(
            select(Resident.id, Resident.id_number).where(Resident.id_number.is_not(None))
        ):
            residents.setdefault(row.id_number, []).append(row.id)
        pending = await conn.execute(
            select(SourceRecord.id, SourceRecord.record).where(
                SourceRecord.kind == "person",
                SourceRecord.resident_id.is_(None),
                SourceRecord.deleted.is_(False),
            )
        )
        links: list[dict[str, int]] = []
        unmatched = 0
        for row in pending:
            parsed, _ = parse_id_number((row.record or {}).get("id_number"))
            owners = residents.get(parsed.value, []) if parsed else []
            if parsed and parsed.status is not IdStatus.INVALID and len(owners) == 1:
                links.append({"b_id": row.id, "b_owner": owners[0]})
            else:
                unmatched += 1
    table: Table = SourceRecord.__table__  # type: ignore[assignment]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(resident_id=bindparam("b_owner"))
    )
    async with engine.begin() as conn:
        for start in range(0, len(links), BATCH):
            await conn.execute(statement, links[start : start + BATCH])
    return LinkSummary(linked=len(links), unmatched=unmatched)
