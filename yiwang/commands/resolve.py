"""``yiwang resolve``: department records in the store become residents and households.

    yiwang resolve [--retrain]

Reuses the last run's model unless ``--retrain`` (or the settings changed); prints a
progress bar per stage and a summary: persons, households, merges, splits, review items.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from store import create_engine
from yiwang.commands import console
from yiwang.settings import Settings
from yiwang.storecheck import check_store

STAGES = ("load", "normalise", "block", "compare", "train", "score", "cluster", "households",
          "review", "write")  # fmt: skip


def add_parser(sub: Any) -> None:
    resolve = sub.add_parser("resolve", help="merge department records into residents")
    resolve.add_argument("--retrain", action="store_true", help="learn the model afresh (EM)")


async def run_resolve(settings: Settings, retrain: bool = False) -> Any:
    from resolution import resolve_store

    engine = create_engine(settings.database_url)
    columns = (TextColumn("{task.description:<11}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            tasks = {stage: bar.add_task(stage, total=1, start=False) for stage in STAGES}

            def report(stage: str, done: int, total: int) -> None:
                if stage in tasks:
                    bar.start_task(tasks[stage])
                    bar.update(tasks[stage], completed=done, total=max(total, 1))

            summary = await resolve_store(engine, retrain=retrain, progress=report)
    finally:
        await engine.dispose()
    print_summary(summary)
    return summary


def print_summary(summary: Any) -> None:
    table = Table(title=f"Identity resolution, run {summary.run_id}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for name in ("records", "persons", "households", "created", "merged", "split", "retired",
                 "changed", "records_moved", "review_items"):  # fmt: skip
        table.add_row(name.replace("_", " "), f"{getattr(summary, name):,}")
    console.print(table)
    seconds = ", ".join(f"{stage} {value:.1f}" for stage, value in summary.seconds.items())
    model = "trained afresh" if summary.retrained else "the last run's"
    console.print(f"Model: {model}. Seconds: {seconds}")


def cmd_resolve(settings: Settings, args: argparse.Namespace) -> None:
    check_store(settings.database_url)
    asyncio.run(run_resolve(settings, retrain=args.retrain))
