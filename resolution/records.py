"""What a resolution run reads from the store.

Person records that are not deleted, with the resident each was assigned to last
time; the manual links and decided review pairs people made; the values cadres
entered; and the model of the last successful run, reused so that scores (and so
persons) do not drift from run to run while the data barely changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.normalize import RawRecord
from identity.survive import CadreValue
from store.models import (
    IdentityRun,
    IdentityRunStatus,
    LinkKind,
    ManualLink,
    Resident,
    ResidentValue,
    SourceRecord,
)

RecordKey = tuple[str, str]
NEW = -1


@dataclass(frozen=True, slots=True)
class StoredRecord:
    id: int
    source: str
    source_id: str
    fetched_at: datetime
    values: dict[str, Any]

    def raw(self) -> RawRecord:
        """The record as the matcher reads it: where the person lives, else where the
        person is registered, is the address that meets their household."""
        v = self.values
        address = v.get("residence_address") or v.get("registered_address")
        return RawRecord(
            self.source, self.source_id, v.get("name"), v.get("id_number"), v.get("gender"),
            v.get("birth_date"), v.get("phone"), address, v.get("household_key"),
        )  # fmt: skip


@dataclass(frozen=True)
class Inputs:
    records: list[StoredRecord]
    previous: NDArray[np.int64]  # per record: resident assigned last time, or NEW
    earlier: list[int]  # active residents that department records were assigned to
    must_link: list[tuple[RecordKey, RecordKey]]
    cannot_link: list[tuple[RecordKey, RecordKey]]
    cadre: dict[int, dict[str, CadreValue]]  # resident -> field -> value
    model: str | None  # the last successful run's model JSON


async def load_person_records(
    conn: AsyncConnection, assigned_only: bool = False
) -> tuple[list[StoredRecord], list[int]]:
    """The live person records in ID order, and the resident each belongs to (or NEW);
    ``assigned_only`` leaves out records no resident holds yet."""
    query = (
        select(
            SourceRecord.id, SourceRecord.source, SourceRecord.source_id,
            SourceRecord.fetched_at, SourceRecord.record, SourceRecord.resident_id,
        )
        .where(SourceRecord.kind == "person", SourceRecord.deleted.is_(False))
        .order_by(SourceRecord.id)
    )  # fmt: skip
    if assigned_only:
        query = query.where(SourceRecord.resident_id.is_not(None))
    records: list[StoredRecord] = []
    owners: list[int] = []
    for row in await conn.execute(query):
        fetched = aware(row.fetched_at)
        records.append(StoredRecord(row.id, row.source, row.source_id, fetched, row.record or {}))
        owners.append(row.resident_id if row.resident_id is not None else NEW)
    return records, owners


async def load_inputs(conn: AsyncConnection) -> Inputs:
    records, previous = await load_person_records(conn)
    assigned = (
        select(SourceRecord.resident_id)
        .join(Resident, Resident.id == SourceRecord.resident_id)
        .where(SourceRecord.kind == "person", Resident.merged_into_id.is_(None))
        .distinct()
    )
    earlier = [int(r) for r in (await conn.execute(assigned)).scalars() if r is not None]
    must, cannot = await _links(conn)
    return Inputs(
        records=records,
        previous=np.array(previous, dtype=np.int64),
        earlier=earlier,
        must_link=must,
        cannot_link=cannot,
        cadre=await load_cadre_values(conn),
        model=await _last_model(conn),
    )


async def load_cadre_values(
    conn: AsyncConnection, residents: list[int] | None = None
) -> dict[int, dict[str, CadreValue]]:
    query = select(ResidentValue)
    if residents is not None:
        query = query.where(ResidentValue.resident_id.in_(residents))
    values: dict[int, dict[str, CadreValue]] = {}
    for row in (await conn.execute(query)).mappings():
        entered = CadreValue(
            row["value"], row["entered_by"], aware(row["entered_at"]), row["replaced"]
        )
        values.setdefault(row["resident_id"], {})[row["field"]] = entered
    return values


async def _links(
    conn: AsyncConnection,
) -> tuple[list[tuple[RecordKey, RecordKey]], list[tuple[RecordKey, RecordKey]]]:
    must: list[tuple[RecordKey, RecordKey]] = []
    cannot: list[tuple[RecordKey, RecordKey]] = []
    for link in await conn.execute(select(*ManualLink.__table__.columns)):
        pair = ((link.left_source, link.left_source_id), (link.right_source, link.right_source_id))
        (must if link.kind is LinkKind.MUST else cannot).append(pair)
    return must, cannot


async def _last_model(conn: AsyncConnection) -> str | None:
    query = (
        select(IdentityRun.model)
        .where(IdentityRun.status == IdentityRunStatus.SUCCEEDED, IdentityRun.model.is_not(None))
        .order_by(IdentityRun.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).scalar()


def aware(when: datetime | None) -> datetime:
    """SQLite hands back naive datetimes; the store writes UTC."""
    if when is None:
        return datetime.now(UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
