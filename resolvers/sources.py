"""Department sources: status, runs, quarantine, deletions; syncs and decisions (admin only)."""

from __future__ import annotations

from connectors import (
    DeletionError,
    DeletionProposal,
    QuarantineEntry,
    RunSummary,
    SourceStatus,
    confirm_deletion,
    list_deletions,
    list_quarantine,
    list_runs,
    reject_deletion,
    source_status,
)
from connectors.jobs import SyncJobs
from resolvers.context import Context
from resolvers.errors import bad_input, not_found
from store.base import Role

MAX_LISTED = 100


def _jobs(ctx: Context) -> SyncJobs:
    if ctx.jobs is None:
        raise not_found("This server has no connectors configured")
    return ctx.jobs


def _limit(value: int) -> int:
    if not 0 <= value <= MAX_LISTED:
        raise bad_input(f"'first' must be between 0 and {MAX_LISTED}, got {value}")
    return value


async def sources(ctx: Context) -> list[SourceStatus]:
    ctx.caller()
    jobs = _jobs(ctx)
    return await source_status(ctx.engine, jobs.specs)


async def source(ctx: Context, code: str) -> SourceStatus:
    ctx.caller()
    jobs = _jobs(ctx)
    if code not in jobs.specs:
        raise not_found(f"No source {code!r}")
    return (await source_status(ctx.engine, [jobs.specs[code]]))[0]


async def runs(ctx: Context, code: str, first: int) -> list[RunSummary]:
    return await list_runs(ctx.engine, code, _limit(first))


async def quarantine(ctx: Context, code: str, first: int) -> list[QuarantineEntry]:
    return await list_quarantine(ctx.engine, code, _limit(first))


def sees_payloads(ctx: Context) -> bool:
    return ctx.caller().sees_personal_data


def running(ctx: Context, code: str) -> bool:
    return code in _jobs(ctx).running()


def start_sync(ctx: Context, code: str, full: bool) -> bool:
    ctx.require_role(Role.ADMIN)
    jobs = _jobs(ctx)
    if code not in jobs.specs:
        raise not_found(f"No source {code!r}")
    return jobs.start(code, full)


async def deletions(ctx: Context, code: str, first: int) -> list[DeletionProposal]:
    return (await list_deletions(ctx.engine, code))[: _limit(first)]


async def decide_deletion(ctx: Context, proposal: int, confirm: bool) -> DeletionProposal:
    """A person confirms (the record is gone at the source) or rejects a proposal."""
    principal = ctx.require_role(Role.ADMIN)
    decide = confirm_deletion if confirm else reject_deletion
    try:
        return await decide(ctx.engine, proposal, decided_by=principal.subject)
    except DeletionError as exc:
        if str(exc).startswith("no proposed deletion"):
            raise not_found(str(exc)) from None
        raise bad_input(str(exc)) from None
