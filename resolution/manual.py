"""People's identity decisions, applied at once and kept for every later run.

A cadre merges two residents, splits records off one, answers a review pair or enters a
field's value. Each decision is stored where the next ``resolve_store`` reads it (a must
or cannot ``ManualLink`` between the records' (source, source_id), a ``ResidentValue``)
and applied to the store now, in one transaction: records move, golden records are
recomputed, explanations and households follow, and an ``IdentityEvent`` names who
decided and why. A later decision replaces any earlier one between the same records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from identity.survive import FIELDS, CadreValue, survive
from resolution.grids import load_locator
from resolution.residents import (
    DecisionError,
    NotFoundError,
    create,
    join_households,
    lock_active,
    merge_edges,
    records_of,
    refresh,
    require_own,
    sources_value,
    split_edges,
)
from store.models import (
    EventKind,
    HouseholdMember,
    IdentityEvent,
    LinkKind,
    ManualLink,
    Resident,
    ResidentValue,
    ReviewPair,
    ReviewStatus,
    SourceRecord,
)

MAX_REASON = 500
MAX_VALUE = 200


@dataclass(frozen=True)
class ReviewOutcome:
    review_id: int
    residents: tuple[int, ...]  # the residents the decision touched, survivor first


async def merge_residents(
    engine: AsyncEngine, survivor_id: int, merged_id: int, actor: str, reason: str
) -> int:
    """Merge ``merged_id`` into ``survivor_id``, which keeps its ID; returns the survivor.
    The merged resident keeps its row and redirects to the survivor."""
    why = _reason(reason)
    if survivor_id == merged_id:
        raise DecisionError(f"Resident {survivor_id} cannot be merged with itself")
    async with engine.begin() as conn:
        await _merge(conn, survivor_id, merged_id, actor[:64], why)
    return survivor_id


async def split_resident(
    engine: AsyncEngine, resident_id: int, record_ids: Sequence[int], actor: str, reason: str
) -> int:
    """Split the given records off a resident into a new one; returns the new resident."""
    why = _reason(reason)
    if not record_ids:
        raise DecisionError("Name at least one record to split off")
    async with engine.begin() as conn:
        return await _split(conn, resident_id, sorted(set(record_ids)), actor[:64], why)


async def decide_review(
    engine: AsyncEngine, review_id: int, same: bool, actor: str, reason: str
) -> ReviewOutcome:
    """Answer a review pair. The answer is kept as a manual link, and the residents
    follow it now: one person in two residents is merged (the older ID survives), two
    people in one resident are split (the right record leaves)."""
    why, who = _reason(reason), actor[:64]
    async with engine.begin() as conn:
        query = select(*ReviewPair.__table__.columns).where(ReviewPair.id == review_id)
        pair = (await conn.execute(query.with_for_update())).first()
        if pair is None:
            raise NotFoundError(f"No review pair {review_id}")
        if pair.status is not ReviewStatus.OPEN:
            raise DecisionError(
                f"Review pair {review_id} was already decided ({pair.status.value}) "
                f"by {pair.decided_by}"
            )
        left, right = await _pair_records(conn, pair)
        owners = (left.resident_id, right.resident_id)
        touched = tuple(sorted({o for o in owners if o is not None}))
        if same and None not in owners and owners[0] != owners[1]:
            await _merge(conn, touched[0], touched[1], who, why, (left.id, right.id))
        elif not same and None not in owners and owners[0] == owners[1]:
            touched = (owners[0], await _split(conn, owners[0], [right.id], who, why))
        else:
            kind = LinkKind.MUST if same else LinkKind.CANNOT
            await _relink(conn, kind, [left], [right], [(left, right)], who, why)
        status = ReviewStatus.SAME if same else ReviewStatus.DIFFERENT
        decided = {"status": status, "decided_by": who, "decided_at": datetime.now(UTC)}
        await conn.execute(update(ReviewPair).where(ReviewPair.id == review_id).values(decided))
    return ReviewOutcome(review_id, touched)


async def set_resident_value(
    engine: AsyncEngine, resident_id: int, field: str, value: str | None, actor: str
) -> None:
    """Enter a field's value for a resident. It outranks the department records until
    one of them changes that field again; ``None`` says the field is empty."""
    if field not in FIELDS:
        raise DecisionError(f"Unknown field {field!r}; one of {', '.join(FIELDS)}")
    text = (value or "").strip() or None
    if text is not None and len(text) > MAX_VALUE:
        raise DecisionError(f"The value is longer than {MAX_VALUE} characters")
    now = datetime.now(UTC)
    if text is None and field == "name":
        raise DecisionError("A resident's name cannot be emptied")
    probe = {field: CadreValue(text, actor, now)}
    if text is not None and survive([], probe).values[field] is None:
        raise DecisionError(f"{text!r} is not a usable {field}")
    async with engine.begin() as conn:
        rows = await lock_active(conn, resident_id)
        earlier = (ResidentValue.resident_id == resident_id) & (ResidentValue.field == field)
        await conn.execute(delete(ResidentValue).where(earlier))
        replaced = sources_value(await records_of(conn, resident_id), field)
        entered = {"resident_id": resident_id, "field": field, "value": text,
                   "replaced": replaced, "entered_by": actor[:64], "entered_at": now}  # fmt: skip
        await conn.execute(insert(ResidentValue).values(entered))
        await refresh(conn, rows[resident_id], await load_locator(conn))
        if field == "relation" and text is not None:
            member = HouseholdMember.resident_id == resident_id
            await conn.execute(update(HouseholdMember).where(member).values(relation=text[:16]))


async def _merge(
    conn: AsyncConnection,
    survivor_id: int,
    merged_id: int,
    actor: str,
    reason: str,
    pair: tuple[int, int] | None = None,
) -> None:
    """``pair``: the two records a person said are one; else one record of each."""
    rows = await lock_active(conn, survivor_id, merged_id)
    records = await records_of(conn, survivor_id, merged_id)
    kept = [r for r in records if r.resident_id == survivor_id]
    absorbed = [r for r in records if r.resident_id == merged_id]
    for resident, own in ((survivor_id, kept), (merged_id, absorbed)):
        if not own:
            raise DecisionError(
                f"Resident {resident} has no department records, so no later run could "
                "keep the merge"
            )
    chosen = set(pair or ())
    left = next((r for r in kept if r.id in chosen), _first_live(kept))
    right = next((r for r in absorbed if r.id in chosen), _first_live(absorbed))
    await _relink(conn, LinkKind.MUST, kept, absorbed, [(left, right)], actor, reason)
    moved = SourceRecord.resident_id == merged_id
    await conn.execute(update(SourceRecord).where(moved).values(resident_id=survivor_id))
    redirected = (Resident.id == merged_id) | (Resident.merged_into_id == merged_id)
    await conn.execute(
        update(Resident)
        .where(redirected)
        .values(merged_into_id=survivor_id, version=Resident.version + 1)
    )
    await join_households(conn, survivor_id, merged_id)
    await merge_edges(conn, survivor_id, merged_id, (left.id, right.id))
    await _settle(conn, kept, absorbed, ReviewStatus.SAME, actor)
    await refresh(conn, rows[survivor_id], await load_locator(conn))
    await _event(conn, EventKind.MERGED, survivor_id, merged_id, actor, reason)


async def _split(
    conn: AsyncConnection, resident_id: int, record_ids: list[int], actor: str, reason: str
) -> int:
    rows = await lock_active(conn, resident_id)
    records = await records_of(conn, resident_id)
    wanted = set(record_ids)
    await require_own(conn, resident_id, wanted - {r.id for r in records})
    off = [r for r in records if r.id in wanted]
    rest = [r for r in records if r.id not in wanted]
    if not rest:
        raise DecisionError(
            f"A split moves some of resident {resident_id}'s records, not all of them"
        )
    pairs = [(a, b) for a in off for b in rest]
    await _relink(conn, LinkKind.CANNOT, off, rest, pairs, actor, reason)
    locator = await load_locator(conn)
    new_id = await create(conn, off, locator)
    moved = SourceRecord.id.in_(wanted)
    await conn.execute(update(SourceRecord).where(moved).values(resident_id=new_id))
    await split_edges(conn, resident_id, new_id, wanted)
    await _settle(conn, off, rest, ReviewStatus.DIFFERENT, actor)
    await refresh(conn, rows[resident_id], locator)
    await _event(conn, EventKind.SPLIT, resident_id, new_id, actor, reason)
    return new_id


async def _relink(
    conn: AsyncConnection,
    kind: LinkKind,
    side_a: list[Row[Any]],
    side_b: list[Row[Any]],
    pairs: list[tuple[Row[Any], Row[Any]]],
    actor: str,
    reason: str,
) -> None:
    """Store links for ``pairs``, replacing every earlier link between the two sides:
    the newest decision about these records is the one later runs follow."""
    keys_a, keys_b = {_key(r) for r in side_a}, {_key(r) for r in side_b}
    ids = {r.source_id for r in side_a + side_b}
    query = select(*ManualLink.__table__.columns).where(
        ManualLink.left_source_id.in_(ids), ManualLink.right_source_id.in_(ids)
    )
    stale = [
        link.id
        for link in await conn.execute(query)
        if {(link.left_source, link.left_source_id), (link.right_source, link.right_source_id)}
        in ({a, b} for a in keys_a for b in keys_b)
    ]
    if stale:
        await conn.execute(delete(ManualLink).where(ManualLink.id.in_(stale)))
    rows = []
    for a, b in pairs:
        (ls, lid), (rs, rid) = sorted((_key(a), _key(b)))
        rows.append({"kind": kind, "left_source": ls, "left_source_id": lid, "right_source": rs,
                     "right_source_id": rid, "reason": reason, "actor": actor})  # fmt: skip
    await conn.execute(insert(ManualLink), rows)


async def _settle(
    conn: AsyncConnection,
    side_a: list[Row[Any]],
    side_b: list[Row[Any]],
    status: ReviewStatus,
    actor: str,
) -> None:
    """Open review pairs between the two sides are answered by the decision just made."""
    a, b = [r.id for r in side_a], [r.id for r in side_b]
    between = or_(
        and_(ReviewPair.left_record_id.in_(a), ReviewPair.right_record_id.in_(b)),
        and_(ReviewPair.left_record_id.in_(b), ReviewPair.right_record_id.in_(a)),
    )
    await conn.execute(
        update(ReviewPair)
        .where(ReviewPair.status == ReviewStatus.OPEN, between)
        .values(status=status, decided_by=actor, decided_at=datetime.now(UTC))
    )


async def _event(
    conn: AsyncConnection, kind: EventKind, resident: int, other: int, actor: str, reason: str
) -> None:
    event = {"kind": kind, "resident_id": resident, "other_id": other, "reason": reason,
             "actor": actor, "at": datetime.now(UTC)}  # fmt: skip
    await conn.execute(insert(IdentityEvent).values(event))


async def _pair_records(conn: AsyncConnection, pair: Row[Any]) -> tuple[Row[Any], Row[Any]]:
    ids = (pair.left_record_id, pair.right_record_id)
    query = select(
        SourceRecord.id, SourceRecord.source, SourceRecord.source_id, SourceRecord.resident_id
    ).where(SourceRecord.id.in_(ids))
    found: dict[int, Any] = {row.id: row for row in await conn.execute(query)}
    return found[ids[0]], found[ids[1]]


def _first_live(records: list[Row[Any]]) -> Row[Any]:
    return next((r for r in records if not r.deleted), records[0])


def _key(record: Row[Any]) -> tuple[str, str]:
    return (record.source, record.source_id)


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise DecisionError("Give a reason: later readers need to know why")
    if len(text) > MAX_REASON:
        raise DecisionError(f"The reason is longer than {MAX_REASON} characters")
    return text
