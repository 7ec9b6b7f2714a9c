"""``yiwang identity resolve``: the store-free contract, CSV in, CSV out.

    yiwang identity resolve --input records.csv --output clusters.csv \
        [--model model.json] [--save-model model.json] [--show-model]

With ``--model`` the given weights are used as they are; otherwise the model is
trained on the input itself (EM, no labels) and can be kept with ``--save-model``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from yiwang.commands import console
from yiwang.settings import ConfigError, Settings


def add_parser(identity: Any) -> None:
    """Add ``resolve`` to the ``identity`` subcommand group."""
    resolve = identity.add_parser(
        "resolve", help="persons and households of a CSV of department records"
    )
    resolve.add_argument("--input", type=Path, required=True, help="records CSV (the contract)")
    resolve.add_argument("--output", type=Path, required=True, help="clusters CSV to write")
    resolve.add_argument("--model", type=Path, default=None, help="use this model, no training")
    resolve.add_argument("--save-model", type=Path, default=None, help="write the model as JSON")
    resolve.add_argument("--show-model", action="store_true", help="print the weights table")
    resolve.set_defaults(identity_run=cmd_resolve)


def cmd_resolve(settings: Settings, args: argparse.Namespace) -> None:
    from identity.csvio import CsvError, read_records, write_clusters
    from identity.pipeline import STAGES, resolve
    from identity.score import Model

    if not args.output.parent.is_dir():
        raise ConfigError(f"no such folder {args.output.parent}")
    model = None
    if args.model is not None:
        try:
            model = Model.load(args.model)
        except (OSError, ValueError) as error:
            raise ConfigError(f"cannot use model {args.model}: {error}") from None
    started = time.perf_counter()
    try:
        records = read_records(args.input)
    except CsvError as error:
        raise ConfigError(str(error)) from None
    read = time.perf_counter() - started
    columns = (TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        tasks = {stage: bar.add_task(stage, total=None, start=False) for stage in STAGES}

        def report(stage: str, done: int, total: int) -> None:
            bar.start_task(tasks[stage])
            bar.update(tasks[stage], completed=done, total=total)

        try:
            resolution = resolve(records, model=model, progress=report)
        except ValueError as error:  # a model made for other comparisons
            raise ConfigError(str(error)) from None
    write_clusters(args.output, records, resolution.cluster_ids, resolution.household_ids)
    if args.save_model is not None:
        resolution.model.save(args.save_model)
    _summary(resolution.stats, read, time.perf_counter() - started, args.output)
    if args.show_model:
        console.print(resolution.model.table(), markup=False, highlight=False)


def _summary(stats: Any, read: float, total: float, output: Path) -> None:
    table = Table(title=f"Identity resolution → {output}")
    table.add_column("what")
    table.add_column("count", justify="right")
    rows: list[tuple[str, object]] = [
        ("records", stats.records),
        ("records with issues", stats.records_with_issues),
        ("candidate pairs", stats.candidate_pairs),
        ("linked pairs", stats.linked_pairs),
        *((f"links refused: {reason}", n) for reason, n in stats.refused_links.items()),
        ("persons (clusters)", stats.clusters),
        ("largest person", stats.largest_cluster),
        ("households", stats.households),
        ("largest household", stats.largest_household),
        ("review items", stats.review_items),
        ("blocks skipped as too large", len(stats.skipped_blocks)),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}" if isinstance(value, int) else str(value))
    table.add_section()
    table.add_row("read CSV", f"{read:.2f} s")
    for stage, seconds in stats.seconds.items():
        table.add_row(stage, f"{seconds:.2f} s")
    table.add_row("total", f"{total:.2f} s")
    console.print(table)
    for skipped in stats.skipped_blocks[:5]:
        console.print(
            f"[yellow]skipped block:[/yellow] rule {skipped.rule}, {skipped.size:,} records "
            f"(e.g. record {skipped.example + 1})"
        )
    for note in stats.conflicts[:20]:
        console.print(f"[yellow]conflict:[/yellow] {note}")
