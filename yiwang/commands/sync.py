"""Connector commands: sync and sources."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from store import create_engine
from yiwang.commands import console
from yiwang.settings import ConfigError, Settings
from yiwang.storecheck import check_store


def _specs(args: argparse.Namespace) -> dict[str, Any]:
    """The specs to use: every department, or the codes named on the command line."""
    from connectors import SpecError, load_specs

    try:
        specs = load_specs(args.specs)
    except SpecError as exc:
        raise ConfigError(str(exc)) from None
    wanted = getattr(args, "sources", None) or list(specs)
    unknown = [code for code in wanted if code not in specs]
    if unknown:
        known = ", ".join(specs)
        raise ConfigError(f"unknown source {', '.join(unknown)} (known: {known})")
    return {code: specs[code] for code in wanted}


async def run_sync(settings: Settings, specs: dict[str, Any], full: bool) -> list[Any]:
    from connectors import Progress as SyncProgress
    from connectors import sync

    totals: dict[str, dict[str, tuple[int, int | None]]] = {code: {} for code in specs}
    columns = (TextColumn("{task.description:<4}"), BarColumn(), MofNCompleteColumn())
    engine = create_engine(settings.database_url)
    try:
        with Progress(*columns, TimeElapsedColumn(), console=console) as bar:
            tasks = {code: bar.add_task(code, total=None) for code in specs}

            def report(event: SyncProgress) -> None:
                resources = totals[event.source]
                resources[event.resource] = (event.fetched, event.total)
                known = [total for _, total in resources.values()]
                total = None if None in known else sum(t for t in known if t is not None)
                fetched = sum(f for f, _ in resources.values())
                bar.update(tasks[event.source], completed=fetched, total=total)

            summaries = await sync(engine, specs, full=full, progress=report)
            for task in tasks.values():
                done = max(bar.tasks[task].completed, 1)
                bar.update(task, total=done, completed=done)
    finally:
        await engine.dispose()
    return summaries


def cmd_sync(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    specs = _specs(args)
    summaries = asyncio.run(run_sync(settings, specs, args.full))
    table = Table(title="Sync")
    for column in ("source", "mode", "status", "pages", "fetched", "inserted", "updated"):
        table.add_column(
            column, justify="left" if column in ("source", "mode", "status") else "right"
        )
    for column in ("unchanged", "quarantined", "retries", "proposed deletions"):
        table.add_column(column, justify="right")
    for s in summaries:
        colour = "green" if s.status == "succeeded" else "red"
        numbers = (s.pages, s.fetched, s.inserted, s.updated, s.unchanged, s.quarantined)
        table.add_row(
            s.source,
            s.mode,
            f"[{colour}]{s.status}[/{colour}]",
            *(f"{n:,}" for n in numbers),
            f"{s.retries:,}",
            f"{s.proposed_deletions:,}",
        )
    console.print(table)
    failed = [s for s in summaries if s.status != "succeeded"]
    for s in failed:
        console.print(f"[red]{s.source}: {s.error}[/red]", soft_wrap=True)
    if failed:
        raise SystemExit(1)


async def _status(settings: Settings, specs: dict[str, Any]) -> list[Any]:
    from connectors import source_status

    engine = create_engine(settings.database_url)
    try:
        return await source_status(engine, specs)
    finally:
        await engine.dispose()


def cmd_sources(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    table = Table(title="Sources")
    for column in ("source", "name", "kind", "last run", "status", "records"):
        table.add_column(column, justify="right" if column == "records" else "left")
    for column in ("deleted", "quarantined", "proposed deletions", "in progress"):
        table.add_column(column, justify="right")
    for s in asyncio.run(_status(settings, _specs(args))):
        run = s.last_run
        when = f"{run.started_at:%Y-%m-%d %H:%M} ({run.mode})" if run else "never"
        in_progress = ", ".join(r.name for r in s.resources if r.in_progress) or "-"
        table.add_row(
            s.code,
            s.name,
            s.kind,
            when,
            run.status if run else "-",
            f"{s.records:,}",
            f"{s.deleted:,}",
            f"{s.quarantined:,}",
            f"{s.proposed_deletions:,}",
            in_progress,
        )
    console.print(table)
