"""What the store knows about each source: last run, counts, quarantine, open proposals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from connectors.runs import RunSummary
from connectors.spec import Spec
from store.models import ProposedDeletion, QuarantinedRecord, SourceRecord, SyncCheckpoint, SyncRun
from store.models.sync import DeletionStatus


@dataclass(frozen=True)
class ResourceStatus:
    name: str
    kind: str
    mode: str | None  # of the pass in progress or the last one
    in_progress: bool
    watermark: str | None
    completed_at: datetime | None


@dataclass(frozen=True)
class SourceStatus:
    code: str
    name: str
    kind: str
    last_run: RunSummary | None
    records: int  # live source records
    deleted: int
    quarantined: int
    proposed_deletions: int  # waiting for a decision
    resources: list[ResourceStatus]


@dataclass(frozen=True)
class QuarantineEntry:
    id: int
    source: str
    resource: str
    run_id: int
    page: str
    source_id: str | None
    field: str
    reason: str
    payload: Any
    quarantined_at: datetime


def _specs(specs: Mapping[str, Spec] | Iterable[Spec]) -> list[Spec]:
    return list(specs.values()) if isinstance(specs, Mapping) else list(specs)


async def source_status(
    engine: AsyncEngine, specs: Mapping[str, Spec] | Iterable[Spec]
) -> list[SourceStatus]:
    """One status per spec, in the order given."""
    chosen = _specs(specs)
    codes = [s.code for s in chosen]
    async with engine.connect() as conn:
        records: dict[tuple[str, bool], int] = {
            (row.source, bool(row.deleted)): row.n
            for row in await conn.execute(
                select(SourceRecord.source, SourceRecord.deleted, func.count().label("n"))
                .where(SourceRecord.source.in_(codes))
                .group_by(SourceRecord.source, SourceRecord.deleted)
            )
        }
        quarantined: dict[str, int] = {
            row.source: row.n
            for row in await conn.execute(
                select(QuarantinedRecord.source, func.count().label("n"))
                .where(QuarantinedRecord.source.in_(codes))
                .group_by(QuarantinedRecord.source)
            )
        }
        proposals: dict[str, int] = {
            row.source: row.n
            for row in await conn.execute(
                select(ProposedDeletion.source, func.count().label("n"))
                .where(
                    ProposedDeletion.source.in_(codes),
                    ProposedDeletion.status == DeletionStatus.PROPOSED,
                )
                .group_by(ProposedDeletion.source)
            )
        }
        checkpoints = list(
            await conn.execute(select(SyncCheckpoint).where(SyncCheckpoint.source.in_(codes)))
        )
        last_runs: dict[str, RunSummary] = {}
        for code in codes:
            row = (
                await conn.execute(
                    select(SyncRun)
                    .where(SyncRun.source == code)
                    .order_by(SyncRun.id.desc())
                    .limit(1)
                )
            ).one_or_none()
            if row is not None:
                last_runs[code] = RunSummary.from_row(row)
    result = []
    for spec in chosen:
        by_name = {c.resource: c for c in checkpoints if c.source == spec.code}
        resources = []
        for resource in spec.resources.values():
            cp = by_name.get(resource.name)
            resources.append(
                ResourceStatus(
                    resource.name,
                    resource.kind,
                    str(cp.mode) if cp else None,
                    bool(cp and cp.state is not None),
                    cp.watermark if cp else None,
                    cp.completed_at if cp else None,
                )
            )
        result.append(
            SourceStatus(
                spec.code,
                spec.name,
                spec.kind,
                last_runs.get(spec.code),
                records.get((spec.code, False), 0),
                records.get((spec.code, True), 0),
                quarantined.get(spec.code, 0),
                proposals.get(spec.code, 0),
                resources,
            )
        )
    return result


async def list_runs(
    engine: AsyncEngine, source: str | None = None, limit: int = 20
) -> list[RunSummary]:
    """The most recent runs, newest first."""
    query = select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)
    if source is not None:
        query = query.where(SyncRun.source == source)
    async with engine.connect() as conn:
        return [RunSummary.from_row(row) for row in await conn.execute(query)]


async def list_quarantine(
    engine: AsyncEngine, source: str | None = None, limit: int = 100
) -> list[QuarantineEntry]:
    """Quarantined records, newest first, with the reason and the raw payload."""
    query = select(QuarantinedRecord).order_by(QuarantinedRecord.id.desc()).limit(limit)
    if source is not None:
        query = query.where(QuarantinedRecord.source == source)
    async with engine.connect() as conn:
        return [
            QuarantineEntry(
                row.id,
                row.source,
                row.resource,
                row.run_id,
                row.page,
                row.source_id,
                row.field,
                row.reason,
                row.payload,
                row.quarantined_at,
            )
            for row in await conn.execute(query)
        ]
