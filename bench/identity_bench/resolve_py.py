"""The CSV contract through ``identity.pipeline.resolve``, for when the command is missing:

python -m bench.identity_bench.resolve_py records.csv clusters.csv [--save-model model.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path


def main(source: Path, target: Path, save_model: Path | None = None) -> None:
    from identity.normalize import RawRecord
    from identity.pipeline import resolve

    started = time.perf_counter()
    with source.open(newline="", encoding="utf-8") as handle:
        records = [RawRecord.from_mapping(row) for row in csv.DictReader(handle)]
    read = time.perf_counter() - started
    resolution = resolve(records)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "source_id", "cluster_id", "household_cluster_id"))
        writer.writerows(
            (source_key, source_id, person, household)
            for (source_key, source_id), person, household in zip(
                resolution.keys, resolution.cluster_ids, resolution.household_ids, strict=True
            )
        )
    if save_model is not None:
        resolution.model.save(save_model)
    stats = resolution.stats
    print(
        "RESOLVE_JSON",
        json.dumps(
            {
                "read_seconds": round(read, 3),
                "stage_seconds": stats.seconds,
                "candidate_pairs": stats.candidate_pairs,
                "clusters": stats.clusters,
                "largest_cluster": stats.largest_cluster,
                "review_items": stats.review_items,
                "total_seconds": round(time.perf_counter() - started, 3),
            }
        ),
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--save-model", type=Path, default=None)
    args = parser.parse_args()
    main(args.source, args.target, args.save_model)
