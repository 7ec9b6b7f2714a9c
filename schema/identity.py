"""Identity (身份): why records are one resident, what happened to it, the review queue,
and people's decisions about it."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Row

from identity.survive import FIELDS
from resolvers import identity
from resolvers.context import context_of
from schema.node import Connection
from schema.resident import Resident, SourceRecord
from store.models import EventKind, ReviewStatus

strawberry.enum(ReviewStatus, description="open, or decided: one person (same) or two")
strawberry.enum(
    EventKind,
    name="IdentityEventKind",
    description="created, merged (other into resident), split (other off resident), retired",
)


@strawberry.enum(description="A golden-record field a cadre may set.")
class ResidentField(enum.Enum):
    NAME = "name"
    ID_NUMBER = "id_number"
    GENDER = "gender"
    BIRTH_DATE = "birth_date"
    PHONE = "phone"
    RESIDENCE_ADDRESS = "residence_address"
    REGISTERED_ADDRESS = "registered_address"
    RELATION = "relation"


@strawberry.type(
    description="One comparison's say about a pair: the level it reached and the evidence "
    "it earned (bits; positive for one person, negative against)."
)
class Contribution:
    comparison: str
    level: str
    weight: float

    @classmethod
    def listing(cls, explanation: Sequence[Sequence[Any]]) -> list[Contribution]:
        return [Contribution(comparison=c, level=lv, weight=w) for c, lv, w in explanation]


@strawberry.type(description="A pair of records that joined this resident's records.")
class MatchEdge:
    left: SourceRecord
    right: SourceRecord
    probability: float
    match_weight: float
    manual: bool = strawberry.field(description="Joined by a person's merge, not by a score.")
    contributions: list[Contribution]
    summary: str = strawberry.field(description="The contributions in one line, strongest first.")

    @classmethod
    def of(cls, edge: Row[Any], records: dict[int, Row[Any]]) -> MatchEdge:
        return cls(
            left=SourceRecord.from_row(records[edge.left_record_id]),
            right=SourceRecord.from_row(records[edge.right_record_id]),
            probability=edge.probability,
            match_weight=edge.match_weight,
            manual=edge.manual,
            contributions=Contribution.listing(edge.explanation),
            summary=identity.summary(edge.explanation),
        )


@strawberry.type(description="Where a golden-record field's value came from.")
class FieldProvenance:
    field: str
    source: str | None = strawberry.field(description="Department code; null if a cadre set it.")
    source_id: str | None
    fetched_at: datetime | None
    entered_by: str | None = strawberry.field(description="The cadre who entered the value.")
    entered_at: datetime | None
    derived_from: str | None = strawberry.field(
        description="The field it was read from (gender and birth date from the ID number)."
    )

    @classmethod
    def listing(cls, provenance: dict[str, dict[str, str]] | None) -> list[FieldProvenance]:
        known = provenance or {}
        order = [f for f in FIELDS if f in known] + sorted(set(known) - set(FIELDS))
        return [cls.of(name, known[name]) for name in order]

    @classmethod
    def of(cls, name: str, origin: dict[str, str]) -> FieldProvenance:
        def when(key: str) -> datetime | None:
            return datetime.fromisoformat(origin[key]) if origin.get(key) else None

        return cls(
            field=name,
            source=origin.get("source"),
            source_id=origin.get("source_id"),
            fetched_at=when("fetched_at"),
            entered_by=origin.get("cadre"),
            entered_at=when("at"),
            derived_from=origin.get("derived"),
        )


@strawberry.type(description="Something that happened to a resident's identity.")
class IdentityEvent:
    kind: EventKind
    reason: str
    actor: str | None = strawberry.field(description="Who decided; null when a run did.")
    at: datetime
    run_id: int | None
    row: strawberry.Private[Row[Any]]

    @strawberry.field(description="The survivor of a merge, the original of a split.")
    async def resident(self, info: strawberry.Info) -> Resident | None:
        found = await identity.visible_resident(context_of(info), self.row.resident_id)
        return Resident.from_row(found) if found is not None else None

    @strawberry.field(description="The resident merged away or split off; null outside scope.")
    async def other(self, info: strawberry.Info) -> Resident | None:
        found = await identity.visible_resident(context_of(info), self.row.other_id)
        return Resident.from_row(found) if found is not None else None

    @classmethod
    def from_row(cls, row: Row[Any]) -> IdentityEvent:
        return cls(
            kind=row.kind, reason=row.reason, actor=row.actor, at=row.at, run_id=row.run_id, row=row
        )


@strawberry.type(description="Two records a person should decide about: one person or two.")
class ReviewPair:
    id: int
    left: SourceRecord
    right: SourceRecord
    probability: float
    match_weight: float
    reason: str = strawberry.field(description="uncertain, or the rule that refused the link.")
    explanation: list[Contribution]
    summary: str
    status: ReviewStatus
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, row: Row[Any], records: dict[int, Row[Any]]) -> ReviewPair:
        return cls(
            id=row.id,
            left=SourceRecord.from_row(records[row.left_record_id]),
            right=SourceRecord.from_row(records[row.right_record_id]),
            probability=row.probability,
            match_weight=row.match_weight,
            reason=row.reason,
            explanation=Contribution.listing(row.explanation),
            summary=identity.summary(row.explanation),
            status=row.status,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
        )


@strawberry.type
class MergeResidentsPayload:
    survivor: Resident
    merged: Resident = strawberry.field(description="Now redirects to the survivor.")


@strawberry.type
class SplitResidentPayload:
    resident: Resident
    new_resident: Resident = strawberry.field(description="Made of the records split off.")


@strawberry.type
class DecideReviewPayload:
    review: ReviewPair
    residents: list[Resident] = strawberry.field(
        description="The residents the answer touched: survivor of a merge, or original then "
        "the one split off."
    )


@strawberry.type
class IdentityQuery:
    @strawberry.field(
        description="Pairs of records for a person to decide, whose residents lie in your "
        "scope; ordered by ID."
    )
    async def review_queue(
        self,
        info: strawberry.Info,
        status: ReviewStatus = ReviewStatus.OPEN,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 0 to 100 (default 20).")
        ] = None,
        after: str | None = None,
    ) -> Connection[ReviewPair]:
        page, records = await identity.review_queue(context_of(info), status, first, after)
        return Connection.of(page, lambda row: ReviewPair.of(row, records))


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Merge two residents found to be one person; the survivor keeps its ID "
        "and later runs keep them together."
    )
    async def merge_residents(
        self,
        info: strawberry.Info,
        survivor_id: strawberry.ID,
        merged_id: strawberry.ID,
        reason: str,
    ) -> MergeResidentsPayload:
        survivor, merged = await identity.merge(context_of(info), survivor_id, merged_id, reason)
        return MergeResidentsPayload(
            survivor=Resident.from_row(survivor), merged=Resident.from_row(merged)
        )

    @strawberry.mutation(
        description="Split records off a resident into a new one; later runs keep them apart."
    )
    async def split_resident(
        self,
        info: strawberry.Info,
        resident_id: strawberry.ID,
        record_ids: list[strawberry.ID],
        reason: str,
    ) -> SplitResidentPayload:
        ctx = context_of(info)
        original, new = await identity.split(ctx, resident_id, list(record_ids), reason)
        return SplitResidentPayload(
            resident=Resident.from_row(original), new_resident=Resident.from_row(new)
        )

    @strawberry.mutation(description="Answer a review pair: one person (same) or two.")
    async def decide_review(
        self, info: strawberry.Info, id: int, same: bool, reason: str
    ) -> DecideReviewPayload:
        pair, records, touched = await identity.decide(context_of(info), id, same, reason)
        return DecideReviewPayload(
            review=ReviewPair.of(pair, records),
            residents=[Resident.from_row(row) for row in touched],
        )

    @strawberry.mutation(
        description="Enter a field's value; it outranks the departments' records until one "
        "of them changes that field. A null value says the field is empty."
    )
    async def set_resident_value(
        self,
        info: strawberry.Info,
        resident_id: strawberry.ID,
        field: ResidentField,
        value: str | None,
    ) -> Resident:
        row = await identity.set_value(context_of(info), resident_id, field.value, value)
        return Resident.from_row(row)
