"""Identity evaluation commands: ``yiwang identity generate`` and ``yiwang identity evaluate``.

``generate`` writes the labelled set (identity.labelled) as a CSV the resolver reads, with
the truth columns beside the contract's; ``evaluate`` scores a resolver's clusters.csv
against it and prints pairwise and B-cubed precision, recall and F1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.table import Table

from yiwang.commands import console
from yiwang.settings import ConfigError, Settings


def add_parsers(identity: Any) -> None:
    """Add ``generate`` and ``evaluate`` to the ``identity`` subcommand group."""
    generate = identity.add_parser("generate", help="write a labelled multi-source record set")
    generate.add_argument("--persons", type=int, default=10_000)
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--output", type=Path, required=True, help="CSV to write")
    generate.set_defaults(identity_run=cmd_generate)
    evaluate = identity.add_parser("evaluate", help="score clusters against a labelled set")
    evaluate.add_argument("--truth", type=Path, required=True, help="labelled CSV (generate)")
    evaluate.add_argument("--clusters", type=Path, required=True, help="resolver's output CSV")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.set_defaults(identity_run=cmd_evaluate)


def cmd_identity(settings: Settings, args: argparse.Namespace) -> None:
    """Dispatch to the identity subcommand chosen on the command line."""
    args.identity_run(settings, args)


def cmd_generate(settings: Settings, args: argparse.Namespace) -> None:
    from identity.labelled import generate

    if args.persons < 0:
        raise ConfigError("--persons must not be negative")
    if not args.output.parent.is_dir():
        raise ConfigError(f"no such folder {args.output.parent}")
    started = time.perf_counter()
    stats = generate(args.persons, args.seed).write_csv(args.output)
    seconds = time.perf_counter() - started
    table = Table(title=f"Labelled set → {args.output}")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, count in (
        ("persons", stats.persons),
        ("households", stats.households),
        ("records", stats.records),
        *((f"records from {source}", n) for source, n in sorted(stats.by_source.items())),
        *((f"records with {case}", n) for case, n in stats.cases.most_common()),
    ):
        table.add_row(label, f"{count:,}")
    console.print(table)
    console.print(f"{stats.records:,} records in {seconds:.1f} s")


def cmd_evaluate(settings: Settings, args: argparse.Namespace) -> None:
    from identity.evaluate import evaluate, read_clusters
    from identity.labelled import read_csv

    for path in (args.truth, args.clusters):
        if not path.is_file():
            raise ConfigError(f"no such file {path}")
    try:
        result = evaluate(read_csv(args.truth), read_clusters(args.clusters))
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot evaluate: {error}") from None
    if args.json:
        json.dump(asdict(result), sys.stdout, indent=2)
        print()
        return
    scores = Table(title="Identity resolution against the truth")
    for column in ("measure", "precision", "recall", "F1"):
        scores.add_column(column, justify="left" if column == "measure" else "right")
    rows = [("pairwise", result.pairwise), ("B-cubed", result.bcubed)]
    if result.households is not None:
        rows.append(("households (pairwise)", result.households))
    for label, s in rows:
        scores.add_row(label, f"{s.precision:.5f}", f"{s.recall:.5f}", f"{s.f1:.5f}")
    console.print(scores)
    counts = Table(title="Counts")
    counts.add_column("what")
    counts.add_column("count", justify="right")
    pairs = result.pairs
    for label, value in (
        ("records", f"{result.records:,}"),
        ("persons (truth)", f"{result.persons:,}"),
        ("clusters", f"{result.clusters:,}"),
        ("largest cluster (records)", f"{result.largest_cluster:,}"),
        ("pairs: true positive / predicted / true", f"{pairs.true_positive:,} / "
         f"{pairs.predicted:,} / {pairs.actual:,}"),
        ("clusters with two different valid IDs", f"{result.valid_id_merges:,}"),
        ("persons merged into another person", f"{result.persons_merged_away:,}"),
        *((f"  of which: {kind}", f"{n:,}") for kind, n in result.wrong_merges.items()),
        *((f"{case} groups merged", f"{merged:,} of {total:,}")
          for case, (merged, total) in result.hard_cases.items()),
        ("truth records missing from clusters", f"{result.missing:,}"),
        ("clustered records not in the truth", f"{result.unknown:,}"),
    ):  # fmt: skip
        counts.add_row(label, value)
    console.print(counts)
