"""yiwang's incremental matching, after a resolution, in its own process:

python -m bench.identity_bench.match_py records.csv clusters.csv model.json --calls N

Builds an ``identity.Matcher`` from the records (the contract CSV), the persons the
resolution wrote (clusters.csv, in input order) and the model it saved, then matches N
records one at a time, each against all records (itself included, as Splink's
``predict_between`` in ``splink_cn.py`` is run: the same positions). Prints one
``MATCH_JSON`` line: the construction time and its steps, and the seconds of each call.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from pathlib import Path


def main(records_path: Path, clusters_path: Path, model_path: Path, calls: int) -> None:
    from identity.csvio import read_records
    from identity.incremental import Matcher
    from identity.score import Model

    records = read_records(records_path)
    with clusters_path.open(newline="", encoding="utf-8") as handle:
        persons = [row["cluster_id"] for row in csv.DictReader(handle)]
    model = Model.load(model_path)
    started = time.perf_counter()
    matcher = Matcher(records, persons, model)
    construction = time.perf_counter() - started
    latencies = []
    decisions: Counter[str] = Counter()
    for position in positions(len(records), calls):
        started = time.perf_counter()
        match = matcher.match(records[position])
        latencies.append(round(time.perf_counter() - started, 5))
        decisions[match.decision] += 1
    steps = {name: round(seconds, 3) for name, seconds in matcher.index.seconds.items()}
    print("MATCH_JSON", json.dumps({
        "construction_seconds": round(construction, 3), "construction_steps": steps,
        "incremental_seconds": latencies, "decisions": decisions, "records": len(records),
    }))  # fmt: skip


def positions(records: int, calls: int) -> list[int]:
    """The records Splink's incremental phase matches (``splink_cn._incremental``)."""
    return list(range(0, records, max(1, records // calls)))[:calls]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("records", type=Path)
    parser.add_argument("clusters", type=Path)
    parser.add_argument("model", type=Path)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    main(args.records, args.clusters, args.model, args.calls)
