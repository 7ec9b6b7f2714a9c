"""Department sources (数据源): sync status, runs and quarantine, and the syncSource mutation."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from connectors import DeletionProposal, QuarantineEntry, RunSummary, SourceStatus
from resolvers import sources
from resolvers.context import context_of


@strawberry.type(description="One sync of one source.")
class SyncRun:
    run_id: int
    mode: str = strawberry.field(description="full or incremental")
    status: str = strawberry.field(description="running, succeeded, failed or interrupted")
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
    def of(cls, run: RunSummary) -> SyncRun:
        fields = {name: getattr(run, name) for name in cls.__annotations__}
        return cls(**fields)


@strawberry.type(description="A record that failed validation, kept with the reason.")
class QuarantinedRecord:
    entry: strawberry.Private[QuarantineEntry]
    resource: str
    page: str
    source_id: str | None
    field: str
    reason: str
    quarantined_at: datetime

    @strawberry.field(description="Raw record; null unless your role sees personal data.")
    def payload(self, info: strawberry.Info) -> JSON | None:
        return self.entry.payload if sources.sees_payloads(context_of(info)) else None

    @classmethod
    def of(cls, entry: QuarantineEntry) -> QuarantinedRecord:
        return cls(
            entry=entry,
            resource=entry.resource,
            page=entry.page,
            source_id=entry.source_id,
            field=entry.field,
            reason=entry.reason,
            quarantined_at=entry.quarantined_at,
        )


@strawberry.type(
    name="DeletionProposal",
    description="A record missing from a full snapshot, waiting for a person.",
)
class DeletionProposalType:
    id: int
    kind: str
    source_id: str
    status: str = strawberry.field(description="proposed, confirmed or rejected")
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None

    @classmethod
    def of(cls, proposal: DeletionProposal) -> DeletionProposalType:
        return cls(
            id=proposal.id,
            kind=proposal.kind,
            source_id=proposal.source_id,
            status=proposal.status,
            proposed_at=proposal.proposed_at,
            decided_by=proposal.decided_by,
            decided_at=proposal.decided_at,
        )


@strawberry.type(description="A department platform or ledger that yiwang pulls.")
class Source:
    code: str
    name: str
    kind: str = strawberry.field(description="rest or ledger")
    records: int = strawberry.field(description="Live source records in staging.")
    deleted: int
    quarantined: int
    proposed_deletions: int = strawberry.field(description="Waiting for a person's decision.")
    last_run: SyncRun | None

    @strawberry.field(description="A sync of this source is running in this server now.")
    def syncing(self, info: strawberry.Info) -> bool:
        return sources.running(context_of(info), self.code)

    @strawberry.field(description="Recent runs, newest first.")
    async def runs(self, info: strawberry.Info, first: int = 10) -> list[SyncRun]:
        return [SyncRun.of(r) for r in await sources.runs(context_of(info), self.code, first)]

    @strawberry.field(description="Quarantined records, newest first.")
    async def quarantine(self, info: strawberry.Info, first: int = 20) -> list[QuarantinedRecord]:
        entries = await sources.quarantine(context_of(info), self.code, first)
        return [QuarantinedRecord.of(e) for e in entries]

    @strawberry.field(description="Proposed deletions still waiting for a decision.")
    async def deletions(self, info: strawberry.Info, first: int = 20) -> list[DeletionProposalType]:
        proposals = await sources.deletions(context_of(info), self.code, first)
        return [DeletionProposalType.of(p) for p in proposals]

    @classmethod
    def of(cls, status: SourceStatus) -> Source:
        return cls(
            code=status.code,
            name=status.name,
            kind=status.kind,
            records=status.records,
            deleted=status.deleted,
            quarantined=status.quarantined,
            proposed_deletions=status.proposed_deletions,
            last_run=SyncRun.of(status.last_run) if status.last_run else None,
        )


@strawberry.type
class SyncSourcePayload:
    source: Source
    started: bool = strawberry.field(description="False when a sync was already running.")


@strawberry.type
class SourceQuery:
    @strawberry.field(description="Every configured department source and its sync status.")
    async def sources(self, info: strawberry.Info) -> list[Source]:
        return [Source.of(s) for s in await sources.sources(context_of(info))]


@strawberry.type
class SourceMutation:
    @strawberry.mutation(description="Start a sync of one source in the background (admin).")
    async def sync_source(
        self, info: strawberry.Info, code: str, full: bool = False
    ) -> SyncSourcePayload:
        ctx = context_of(info)
        started = sources.start_sync(ctx, code, full)
        return SyncSourcePayload(source=Source.of(await sources.source(ctx, code)), started=started)

    @strawberry.mutation(
        description="Confirm (gone at the source) or reject a proposed deletion (admin)."
    )
    async def decide_deletion(
        self, info: strawberry.Info, id: int, confirm: bool
    ) -> DeletionProposalType:
        return DeletionProposalType.of(await sources.decide_deletion(context_of(info), id, confirm))
