"""Splink 5 with the standard FEBRL model of shared/BENCHMARKS.md, on DuckDB.

Blocking on given name + surname, the two swapped, date of birth, soc_sec_id, surname +
postcode, given name + postcode, street number + street; comparisons Jaro-Winkler on names
with term-frequency adjustment, date of birth, Damerau-Levenshtein on soc_sec_id,
Jaro-Winkler on the street and the suburb, Damerau-Levenshtein on the postcode; u by random
sampling (1e6 pairs, seeded; 1e7 or Damerau-Levenshtein on the street changed no score and
cost 3-5x the time), m by EM sessions blocked on date of birth and on postcode.
``with_ssid=False`` drops soc_sec_id from both blocking and comparisons.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

THRESHOLD = 0.9


@dataclass(frozen=True)
class SplinkResult:
    pairs: set[tuple[str, str]]  # predicted at match probability >= THRESHOLD
    clusters: dict[str, str]  # rec_id -> cluster id, clustered at THRESHOLD
    seconds: float


def run(frames: list[Any], with_ssid: bool, threads: int = 2) -> SplinkResult:
    """Dedupe one frame (FEBRL 3) or link two (FEBRL 4); ``rec_id`` is the record key."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    db_api = DuckDBAPI(connection=duckdb.connect(config={"threads": threads}))
    tables = [
        db_api.register(frame, dataset_display_name=f"f{i}") for i, frame in enumerate(frames)
    ]
    rules: list[Any] = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("surname", "postcode"),
        block_on("given_name", "postcode"),
        block_on("street_number", "address_1"),
    ]
    comparisons: list[Any] = [
        cl.JaroWinklerAtThresholds("given_name", [0.9, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.JaroWinklerAtThresholds("surname", [0.9, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
        cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
        cl.DamerauLevenshteinAtThresholds("postcode", [1]),
    ]
    if with_ssid:
        rules.insert(3, block_on("soc_sec_id"))
        comparisons.insert(3, cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]))
    settings = SettingsCreator(
        link_type="dedupe_only" if len(frames) == 1 else "link_only",
        unique_id_column_name="rec_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(tables[0] if len(tables) == 1 else tables, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    pairs_frame = predictions.as_pandas_dataframe()
    cluster_frame = clustered.as_pandas_dataframe()
    seconds = time.perf_counter() - started
    pairs = {
        (min(left, right), max(left, right))
        for left, right in zip(pairs_frame["rec_id_l"], pairs_frame["rec_id_r"], strict=True)
    }
    clusters = dict(
        zip(cluster_frame["rec_id"], map(str, cluster_frame["cluster_id"]), strict=True)
    )
    return SplinkResult(pairs, clusters, seconds)
