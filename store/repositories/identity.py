"""Identity queries: a resident's explanation and events, and the review queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from store.models import IdentityEvent, MatchEdge, Resident, ReviewPair, ReviewStatus, SourceRecord
from store.repositories.paging import Page, fetch_page
from store.repositories.scope import grid_in_subtree

_PAIR = ReviewPair.__table__.columns


async def edges_by_resident(
    conn: AsyncConnection, residents: Sequence[int]
) -> dict[int, list[Row[Any]]]:
    """The explanation edges of each resident, for a page of residents in one query."""
    query = select(*MatchEdge.__table__.columns).where(MatchEdge.resident_id.in_(residents))
    edges: dict[int, list[Row[Any]]] = {}
    for row in await conn.execute(query.order_by(MatchEdge.id)):
        edges.setdefault(row.resident_id, []).append(row)
    return edges


async def events_of(conn: AsyncConnection, resident: int, first: int) -> list[Row[Any]]:
    """Events about the resident, newest first: also those where it is the other side
    (merged into a survivor, or split off an original)."""
    query = (
        select(*IdentityEvent.__table__.columns)
        .where(or_(IdentityEvent.resident_id == resident, IdentityEvent.other_id == resident))
        .order_by(IdentityEvent.at.desc(), IdentityEvent.id.desc())
        .limit(first)
    )
    return list((await conn.execute(query)).all())


async def records_by_ids(conn: AsyncConnection, ids: Sequence[int]) -> dict[int, Row[Any]]:
    query = select(*SourceRecord.__table__.columns).where(SourceRecord.id.in_(ids))
    return {row.id: row for row in await conn.execute(query)}


@dataclass(frozen=True)
class ReviewFilter:
    status: ReviewStatus
    path: str | None = None  # both records' residents lie in this subtree; None: anywhere


def _filtered(query: Select[Any], flt: ReviewFilter) -> Select[Any]:
    query = query.where(ReviewPair.status == flt.status)
    if flt.path is None:
        return query
    in_scope = (
        select(SourceRecord.id)
        .join(Resident, Resident.id == SourceRecord.resident_id)
        .where(grid_in_subtree(Resident.grid_id, flt.path))
    )
    return query.where(
        ReviewPair.left_record_id.in_(in_scope), ReviewPair.right_record_id.in_(in_scope)
    )


async def review_page(
    conn: AsyncConnection, flt: ReviewFilter, first: int, after: int | None
) -> Page:
    return await fetch_page(conn, _filtered(select(*_PAIR), flt), ReviewPair.id, first, after)


async def review_count(conn: AsyncConnection, flt: ReviewFilter) -> int:
    query = _filtered(select(func.count()).select_from(ReviewPair), flt)
    return int((await conn.execute(query)).scalar_one())


async def review_by_id(conn: AsyncConnection, pair: int) -> Row[Any] | None:
    """A review pair with the residents its two records belong to now."""
    left, right = aliased(SourceRecord), aliased(SourceRecord)
    query: Select[Any] = (
        select(
            *_PAIR,
            left.resident_id.label("left_resident_id"),
            right.resident_id.label("right_resident_id"),
        )
        .join(left, left.id == ReviewPair.left_record_id)
        .join(right, right.id == ReviewPair.right_record_id)
        .where(ReviewPair.id == pair)
    )
    return (await conn.execute(query)).first()
