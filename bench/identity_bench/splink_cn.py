"""Splink 5 (DuckDB, 2 threads) on the Chinese multi-source records, as a Splink user
would model them; run in its own process so its time and memory are its own:

    python -m bench.identity_bench.splink_cn records.csv clusters.csv [--incremental N]

Model: names by Jaro-Winkler with term-frequency adjustment (exact simplified name, same
pinyin, close pinyin), birth date, ID number (exact, one or two differing characters),
phone and address as separate comparisons (the address with term frequencies), gender.
Blocking on ID; pinyin name + birth date; pinyin name + phone; pinyin name + address;
phone + birth date. u by random sampling (seeded, so runs repeat), m by EM blocked on
birth date and on ID number.
Prints one ``SPLINK_JSON`` line with the time of each step.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

THRESHOLD = 0.9


def settings() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name").configure(tf_adjustment_column="name"),
            cll.ExactMatchLevel("name_py"),
            cll.JaroWinklerLevel("name_py", 0.9),
            cll.JaroWinklerLevel("name_py", 0.75),
            cll.ElseLevel(),
        ],
    )
    # Hamming distance: DuckDB's Damerau-Levenshtein costs 30x more on 18 characters, and
    # cleaned numbers all have 18; one typo is distance 1, a transposition 2.
    identifier = cl.CustomComparison(
        output_column_name="id_number",
        comparison_levels=[
            cll.NullLevel("id_number"),
            cll.ExactMatchLevel("id_number"),
            cll.CustomLevel("hamming(id_number_l, id_number_r) <= 1", "id_number"),
            cll.CustomLevel("hamming(id_number_l, id_number_r) <= 2", "id_number"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name,
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            identifier,
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]).configure(
                term_frequency_adjustments=True
            ),
            cl.ExactMatch("gender"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("name_py", "birth_date"),
            block_on("name_py", "phone"),
            block_on("name_py", "address"),
            block_on("phone", "birth_date"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def main(source: Path, target: Path, incremental: int, threads: int) -> None:
    import duckdb
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    from .cn_prep import prepare

    seconds: dict[str, float] = {}
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        seconds[name] = round(now - mark, 3)
        mark = now

    frame = pd.read_csv(source, dtype=str, keep_default_na=False, usecols=range(9))
    step("read")
    prepared = prepare(frame)
    del frame
    step("prepare")
    db_api = DuckDBAPI(connection=duckdb.connect(config={"threads": threads}))
    table = db_api.register(prepared, dataset_display_name="records")
    linker = Linker(table, settings(), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number"), block_on("name", "birth_date", "phone")], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    step("u")
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_number"))
    step("em")
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    pairs = predictions.as_duckdbpyrelation().count("*").fetchall()[0]
    step("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    result = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    step("cluster")
    keys = result["unique_id"].str.split(":", n=1, expand=True)
    pd.DataFrame(
        {"source": keys[0], "source_id": keys[1], "cluster_id": result["cluster_id"],
         "household_cluster_id": ""}
    ).to_csv(target, index=False)  # fmt: skip
    step("write")
    latencies = _incremental(linker, db_api, prepared, table, incremental) if incremental else []
    step("incremental")  # reported apart: the end-to-end time excludes it
    print("SPLINK_JSON", json.dumps({
        "seconds": seconds, "predicted_pairs": pairs[0] if pairs else None,
        "incremental_seconds": latencies, "records": len(prepared),
    }))  # fmt: skip


def _incremental(linker: Any, db_api: Any, prepared: Any, table: Any, count: int) -> list[float]:
    """``predict_between`` one record at a time against all records (the record itself
    included, as a new record would find its twin in the store)."""
    for column in ("name", "phone", "address"):
        linker.table_management.compute_tf_table(column)
    latencies = []
    for position in range(0, len(prepared), max(1, len(prepared) // count))[:count]:
        single = db_api.register(prepared.iloc[[position]], dataset_display_name=f"new{position}")
        started = time.perf_counter()
        linker.inference.predict_between(single, table, threshold_match_probability=THRESHOLD)
        latencies.append(round(time.perf_counter() - started, 4))
    return latencies


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--incremental", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    main(args.source, args.target, args.incremental, args.threads)
