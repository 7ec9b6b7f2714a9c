"""Run records and checkpoints: how a sync starts, resumes, and ends.

A run is one sync of one source. A *pass* is one walk over a resource's pages; it can
span several runs when a process dies and the next run resumes from the checkpoint. The
checkpoint keeps the pass's first run (``pass_run_id``): a full pass marks every record
it sees with it, which is what makes deletion detection survive restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from connectors.spec import Resource
from store.models import SyncCheckpoint, SyncRun
from store.models.sync import RunStatus, SyncMode

CHINA = timezone(timedelta(hours=8))  # naive cursor values are read as China time


@dataclass(frozen=True)
class RunSummary:
    """What one run did; ``status`` is running, succeeded, failed or interrupted."""

    run_id: int
    source: str
    mode: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages: int
    fetched: int
    inserted: int
    updated: int
    unchanged: int
    quarantined: int
    retries: int
    proposed_deletions: int
    error: str | None

    @classmethod
    def from_row(cls, row: Any) -> RunSummary:
        return cls(
            run_id=row.id,
            source=row.source,
            mode=str(row.mode),
            status=str(row.status),
            started_at=row.started_at,
            finished_at=row.finished_at,
            pages=row.pages,
            fetched=row.fetched,
            inserted=row.inserted,
            updated=row.updated,
            unchanged=row.unchanged,
            quarantined=row.quarantined,
            retries=row.retries,
            proposed_deletions=row.proposed_deletions,
            error=row.last_error,
        )


@dataclass
class Checkpoint:
    """The pass in progress over one resource, as the checkpoint row holds it."""

    source: str
    resource: str
    kind: str
    mode: SyncMode
    pass_run_id: int
    state: dict[str, Any] | None
    since: str | None
    high_watermark: str | None
    resumed: bool
    tag: str  # the paginator's name ("ledger" for files): a changed one restarts the pass


def now() -> datetime:
    return datetime.now(UTC)


async def start_run(engine: AsyncEngine, source: str, mode: SyncMode) -> int:
    """Record a new run; earlier runs of the source still marked running died: interrupted."""
    async with engine.begin() as conn:
        await conn.execute(
            update(SyncRun)
            .where(SyncRun.source == source, SyncRun.status == RunStatus.RUNNING)
            .values(status=RunStatus.INTERRUPTED, last_error="the process stopped mid-run")
        )
        result = await conn.execute(
            insert(SyncRun)
            .values(
                source=source,
                mode=mode,
                status=RunStatus.RUNNING,
                started_at=now(),
                pages=0,
                fetched=0,
                inserted=0,
                updated=0,
                unchanged=0,
                quarantined=0,
                retries=0,
                proposed_deletions=0,
            )
            .returning(SyncRun.id)
        )
        return int(result.scalar_one())


async def finish_run(
    engine: AsyncEngine, run_id: int, status: RunStatus, error: str | None, retries: int
) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(SyncRun)
            .where(SyncRun.id == run_id)
            .values(
                status=status,
                finished_at=now(),
                last_error=error,
                retries=SyncRun.retries + retries,
            )
        )


async def set_mode(engine: AsyncEngine, run_id: int, mode: SyncMode) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(SyncRun).where(SyncRun.id == run_id).values(mode=mode))


async def summary(engine: AsyncEngine, run_id: int) -> RunSummary:
    async with engine.connect() as conn:
        row = (await conn.execute(select(SyncRun).where(SyncRun.id == run_id))).one()
    return RunSummary.from_row(row)


def parse_instant(value: Any) -> datetime | None:
    """A cursor value as an aware datetime (naive → China time), or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


def later(first: str | None, second: str | None) -> str | None:
    """The later of two cursor values (either may be None or unreadable)."""
    a, b = parse_instant(first), parse_instant(second)
    if a is None or b is None:
        return first if b is None else second
    return second if b > a else first


def since_param(resource: Resource, watermark: str) -> str:
    """The lower bound of an incremental pass: the last high mark minus the lag."""
    assert resource.incremental is not None
    moment = parse_instant(watermark)
    if moment is None:
        return watermark
    start = moment - resource.incremental.lag
    if resource.incremental.format:
        return start.strftime(resource.incremental.format)
    return start.isoformat()


def _tag(resource: Resource) -> str:
    return resource.paginator.name if resource.paginator else "ledger"


async def begin_pass(
    conn: AsyncConnection, source: str, resource: Resource, run_id: int, full: bool
) -> Checkpoint:
    """Resume the resource's unfinished pass, or start a new one (full or incremental).

    An unfinished pass is resumed unless ``full`` asks for a snapshot and the pass was
    incremental, or the paginator changed since it began.
    """
    key = (SyncCheckpoint.source == source, SyncCheckpoint.resource == resource.name)
    row = (await conn.execute(select(SyncCheckpoint).where(*key))).one_or_none()
    if (
        row is not None
        and row.state is not None
        and row.state.get("paginator") == _tag(resource)
        and not (full and row.mode == SyncMode.INCREMENTAL)
    ):
        await conn.execute(update(SyncCheckpoint).where(*key).values(run_id=run_id))
        return Checkpoint(
            source,
            resource.name,
            resource.kind,
            SyncMode(row.mode),
            row.pass_run_id,
            row.state["at"],
            row.since,
            row.high_watermark,
            resumed=True,
            tag=_tag(resource),
        )
    watermark = row.watermark if row is not None else None
    incremental = not full and resource.incremental is not None and watermark is not None
    mode = SyncMode.INCREMENTAL if incremental else SyncMode.FULL
    since = since_param(resource, watermark) if incremental and watermark else None
    start = resource.paginator.first() if resource.paginator else {}
    values = {
        "kind": resource.kind,
        "mode": mode,
        "pass_run_id": run_id,
        "run_id": run_id,
        "state": {"paginator": _tag(resource), "at": start},
        "since": since,
        "high_watermark": None,
        "pages": 0,
        "updated_at": now(),
        "completed_at": None,
    }
    if row is None:
        await conn.execute(
            insert(SyncCheckpoint).values(
                source=source, resource=resource.name, watermark=None, **values
            )
        )
    else:
        await conn.execute(update(SyncCheckpoint).where(*key).values(**values))
    return Checkpoint(
        source,
        resource.name,
        resource.kind,
        mode,
        run_id,
        start,
        since,
        None,
        resumed=False,
        tag=_tag(resource),
    )
