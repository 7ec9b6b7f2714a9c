"""Proposed deletions: records a full snapshot no longer contains, waiting for a person.

A record is never deleted silently. When a full pass ends, every live record of that
source and kind the pass did not see becomes a *proposed* deletion. A person confirms
it (the source record is then marked deleted) or rejects it (it stays). A proposal whose
record shows up again in a later full pass is rejected by the sync itself; a rejected
record is not proposed again until it has been seen and then vanished once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.runs import now
from store.models import ProposedDeletion, SourceRecord
from store.models.sync import DeletionStatus


class DeletionError(ValueError):
    """No such proposal, or it was already decided."""


@dataclass(frozen=True)
class DeletionProposal:
    id: int
    source: str
    kind: str
    source_id: str
    source_record_id: int
    run_id: int
    status: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None


async def propose_deletions(
    conn: AsyncConnection, source: str, kind: str, pass_run_id: int, run_id: int
) -> int:
    """At the end of a full pass: propose deleting what it did not see; return how many."""
    await conn.execute(
        update(ProposedDeletion)
        .where(
            ProposedDeletion.source == source,
            ProposedDeletion.kind == kind,
            ProposedDeletion.status == DeletionStatus.PROPOSED,
            ProposedDeletion.source_record_id.in_(
                select(SourceRecord.id).where(
                    SourceRecord.source == source,
                    SourceRecord.kind == kind,
                    SourceRecord.last_seen_run_id == pass_run_id,
                )
            ),
        )
        .values(
            status=DeletionStatus.REJECTED,
            decided_by=f"sync: seen again in run {run_id}",
            decided_at=now(),
        )
    )
    missing = (
        await conn.execute(
            select(SourceRecord.id, SourceRecord.source_id, SourceRecord.last_seen_run_id).where(
                SourceRecord.source == source,
                SourceRecord.kind == kind,
                SourceRecord.deleted.is_(False),
                or_(
                    SourceRecord.last_seen_run_id.is_(None),
                    SourceRecord.last_seen_run_id != pass_run_id,
                ),
            )
        )
    ).all()
    if not missing:
        return 0
    blocked = {
        (row.source_record_id, row.last_seen_run_id, row.status)
        for row in await conn.execute(
            select(
                ProposedDeletion.source_record_id,
                ProposedDeletion.last_seen_run_id,
                ProposedDeletion.status,
            ).where(
                ProposedDeletion.source == source,
                ProposedDeletion.kind == kind,
                ProposedDeletion.status != DeletionStatus.CONFIRMED,
            )
        )
    }
    open_ids = {rid for rid, _, status in blocked if status == DeletionStatus.PROPOSED}
    rejected = {(rid, seen) for rid, seen, status in blocked if status == DeletionStatus.REJECTED}
    rows = [
        {
            "source_record_id": row.id,
            "source": source,
            "kind": kind,
            "source_id": row.source_id,
            "run_id": run_id,
            "last_seen_run_id": row.last_seen_run_id,
            "status": DeletionStatus.PROPOSED,
            "proposed_at": now(),
        }
        for row in missing
        if row.id not in open_ids and (row.id, row.last_seen_run_id) not in rejected
    ]
    if rows:
        await conn.execute(insert(ProposedDeletion), rows)
    return len(rows)


def _proposal(row: Any) -> DeletionProposal:
    return DeletionProposal(
        id=row.id,
        source=row.source,
        kind=row.kind,
        source_id=row.source_id,
        source_record_id=row.source_record_id,
        run_id=row.run_id,
        status=str(row.status),
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


async def list_deletions(
    engine: AsyncEngine, source: str | None = None, status: str | None = "proposed"
) -> list[DeletionProposal]:
    """Proposals, oldest first; by default only those still waiting for a decision."""
    query = select(ProposedDeletion).order_by(ProposedDeletion.id)
    if source is not None:
        query = query.where(ProposedDeletion.source == source)
    if status is not None:
        query = query.where(ProposedDeletion.status == DeletionStatus(status))
    async with engine.connect() as conn:
        return [_proposal(row) for row in await conn.execute(query)]


async def _decide(
    engine: AsyncEngine, proposal_id: int, decided_by: str, status: DeletionStatus
) -> DeletionProposal:
    async with engine.begin() as conn:
        row = (
            await conn.execute(select(ProposedDeletion).where(ProposedDeletion.id == proposal_id))
        ).one_or_none()
        if row is None:
            raise DeletionError(f"no proposed deletion {proposal_id}")
        if row.status != DeletionStatus.PROPOSED:
            raise DeletionError(f"proposed deletion {proposal_id} is already {row.status}")
        decided_at = now()
        await conn.execute(
            update(ProposedDeletion)
            .where(ProposedDeletion.id == proposal_id)
            .values(status=status, decided_by=decided_by, decided_at=decided_at)
        )
        if status == DeletionStatus.CONFIRMED:
            await conn.execute(
                update(SourceRecord)
                .where(SourceRecord.id == row.source_record_id)
                .values(deleted=True)
            )
        updated = (
            await conn.execute(select(ProposedDeletion).where(ProposedDeletion.id == proposal_id))
        ).one()
    return _proposal(updated)


async def confirm_deletion(
    engine: AsyncEngine, proposal_id: int, *, decided_by: str
) -> DeletionProposal:
    """A person agrees the record is gone at the source: mark the source record deleted."""
    return await _decide(engine, proposal_id, decided_by, DeletionStatus.CONFIRMED)


async def reject_deletion(
    engine: AsyncEngine, proposal_id: int, *, decided_by: str
) -> DeletionProposal:
    """A person says the record stays (e.g. the source dropped it by mistake)."""
    return await _decide(engine, proposal_id, decided_by, DeletionStatus.REJECTED)
