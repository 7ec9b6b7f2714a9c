"""Resident (居民) and its provenance (SourceRecord); identity details live in schema.identity."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from resolvers import grids, identity, residents
from resolvers.context import context_of
from resolvers.ids import global_id
from schema.enums import Gender
from schema.node import Node

if TYPE_CHECKING:
    from schema.grid import Grid
    from schema.household import Household
    from schema.identity import FieldProvenance, IdentityEvent, MatchEdge


@strawberry.type(description="Where a fact came from: one record of one department platform.")
class SourceRecord(Node):
    source: str = strawberry.field(description="Department platform code, e.g. mz (民政).")
    source_id: str
    kind: str
    content_hash: str
    fetched_at: datetime
    deleted: bool
    row: strawberry.Private[Row[Any]]

    @strawberry.field(
        description="Raw record as fetched; null unless your role sees personal data."
    )
    def payload(self, info: strawberry.Info) -> JSON | None:
        return residents.payload(context_of(info), self.row)  # type: ignore[return-value]

    @strawberry.field(
        description="The resident this record was resolved into; null if none or outside "
        "your scope."
    )
    async def resident(self, info: strawberry.Info) -> Resident | None:
        found = await identity.visible_resident(context_of(info), self.row.resident_id)
        return Resident.from_row(found) if found is not None else None

    @classmethod
    def from_row(cls, row: Row[Any]) -> SourceRecord:
        return cls(
            id=strawberry.ID(global_id("SourceRecord", row.id)),
            source=row.source,
            source_id=row.source_id,
            kind=row.kind,
            content_hash=row.content_hash,
            fetched_at=row.fetched_at,
            deleted=row.deleted,
            row=row,
        )


@strawberry.type(description="A resident's golden record (居民).")
class Resident(Node):
    name: str
    gender: Gender
    birth_date: date | None
    residence_address: str | None = strawberry.field(description="居住地")
    registered_address: str | None = strawberry.field(description="户籍地")
    version: int
    created_at: datetime
    updated_at: datetime
    row: strawberry.Private[Row[Any]]

    @strawberry.field(description="18-digit ID number; masked unless your role sees personal data.")
    def id_number(self, info: strawberry.Info) -> str | None:
        return residents.id_number(context_of(info), self.row)

    @strawberry.field(description="Masked unless your role sees personal data.")
    def phone(self, info: strawberry.Info) -> str | None:
        return residents.phone(context_of(info), self.row)

    @strawberry.field(description="低保, 特困, 残疾, 独居老人, 退役军人 …")
    async def tags(self, info: strawberry.Info) -> list[str]:
        return await residents.tags(context_of(info), self.row)

    @strawberry.field
    async def household(
        self, info: strawberry.Info
    ) -> Annotated[Household, strawberry.lazy("schema.household")] | None:
        from schema.household import Household

        row = await residents.household(context_of(info), self.row)
        return Household.from_row(row) if row is not None else None

    @strawberry.field
    async def grid(self, info: strawberry.Info) -> Annotated[Grid, strawberry.lazy("schema.grid")]:
        from schema.grid import Grid

        return Grid.from_row(await grids.by_pk(context_of(info), self.row.grid_id))

    @strawberry.field(description="The department records this resident was built from.")
    async def sources(self, info: strawberry.Info) -> list[SourceRecord]:
        return [
            SourceRecord.from_row(r) for r in await residents.sources(context_of(info), self.row)
        ]

    @strawberry.field(description="The pairs of its records that made them one person.")
    async def match_explanation(
        self, info: strawberry.Info
    ) -> list[Annotated[MatchEdge, strawberry.lazy("schema.identity")]]:
        from schema.identity import MatchEdge

        edges = await identity.match_explanation(context_of(info), self.row)
        return [MatchEdge.of(edge, records) for edge, records in edges]

    @strawberry.field(description="Per field, the record or the cadre its value came from.")
    def provenance(self) -> list[Annotated[FieldProvenance, strawberry.lazy("schema.identity")]]:
        from schema.identity import FieldProvenance

        return FieldProvenance.listing(self.row.provenance)

    @strawberry.field(description="What happened to this resident's identity, newest first.")
    async def events(
        self, info: strawberry.Info, first: int = 20
    ) -> list[Annotated[IdentityEvent, strawberry.lazy("schema.identity")]]:
        from schema.identity import IdentityEvent

        rows = await identity.events(context_of(info), self.row, first)
        return [IdentityEvent.from_row(row) for row in rows]

    @strawberry.field(
        description="The resident this one was merged into (it is listed no more); null if "
        "it was not merged, or the survivor lies outside your scope."
    )
    async def merged_into(self, info: strawberry.Info) -> Resident | None:
        found = await identity.visible_resident(context_of(info), self.row.merged_into_id)
        return Resident.from_row(found) if found is not None else None

    @classmethod
    def from_row(cls, row: Row[Any]) -> Resident:
        return cls(
            id=strawberry.ID(global_id("Resident", row.id)),
            name=row.name,
            gender=row.gender,
            birth_date=row.birth_date,
            residence_address=row.residence_address,
            registered_address=row.registered_address,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            row=row,
        )
