"""Metrics on hand-made clusterings whose answers are worked out by hand."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from identity.evaluate import evaluate, pairwise, read_clusters
from identity.labelled import LabelledRecord
from population import make_id_number
from yiwang.cli import main

# Persons: A (3 records), B (2 records), C (1 record); 10 record pairs, 4 true ones.
ID_A = make_id_number("420802", date(1990, 1, 1), 123)
ID_B = make_id_number("420802", date(1992, 3, 4), 456)
ID_C = make_id_number("420804", date(1985, 5, 5), 11)
TWIN_OF_A = make_id_number("420802", date(1990, 1, 1), 124)
_HOUSE = {ID_A: "H1", ID_B: "H1", ID_C: "H2", TWIN_OF_A: "H1"}


def _record(key: str, truth: str, id_number: str = "", cases: str = "") -> LabelledRecord:
    source = key[:2]
    return LabelledRecord(
        source, key, "名", id_number, "", "", "", "", "", truth, _HOUSE[truth], cases
    )


TRUTH = [
    _record("ga1", ID_A, ID_A),
    _record("mz1", ID_A),
    _record("wj1", ID_A, ID_A),
    _record("ga2", ID_B, ID_B),
    _record("wj2", ID_B),
    _record("ga3", ID_C, ID_C),
]


def _clusters(*groups: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    return {
        f"{key[:2]}\t{key}": (f"c{n}", f"h{n}") for n, group in enumerate(groups) for key in group
    }


def test_perfect_clustering_scores_one() -> None:
    result = evaluate(TRUTH, _clusters(("ga1", "mz1", "wj1"), ("ga2", "wj2"), ("ga3",)))
    assert (result.pairs.true_positive, result.pairs.predicted, result.pairs.actual) == (4, 4, 4)
    assert result.pairwise.f1 == 1.0 and result.bcubed.f1 == 1.0
    assert result.valid_id_merges == 0 and result.persons_merged_away == 0
    assert result.clusters == 3 and result.persons == 3 and result.largest_cluster == 3


def test_all_singletons_have_full_precision_and_no_recall() -> None:
    result = evaluate(TRUTH, _clusters(*((r.source_id,) for r in TRUTH)))
    assert result.pairwise.precision == 1.0 and result.pairwise.recall == 0.0
    assert result.pairwise.f1 == 0.0
    # B-cubed: every record's cluster is itself; recall = (3·1/3 + 2·1/2 + 1)/6 = 1/2
    assert result.bcubed.precision == 1.0
    assert result.bcubed.recall == pytest.approx(0.5)
    assert result.bcubed.f1 == pytest.approx(2 / 3)


def test_all_merged_has_full_recall() -> None:
    result = evaluate(TRUTH, _clusters(tuple(r.source_id for r in TRUTH)))
    assert result.pairs.predicted == 15 and result.pairs.true_positive == 4
    assert result.pairwise.precision == pytest.approx(4 / 15) and result.pairwise.recall == 1.0
    # B-cubed precision = (3·3/6 + 2·2/6 + 1·1/6)/6 = 14/36
    assert result.bcubed.precision == pytest.approx(14 / 36) and result.bcubed.recall == 1.0
    assert result.valid_id_merges == 1 and result.persons_merged_away == 2


def test_one_wrong_merge() -> None:
    # C's record joins B's cluster: predicted pairs 3 + 3 = 6, true positive 4.
    result = evaluate(TRUTH, _clusters(("ga1", "mz1", "wj1"), ("ga2", "wj2", "ga3")))
    assert (result.pairs.true_positive, result.pairs.predicted, result.pairs.actual) == (4, 6, 4)
    assert result.pairwise.precision == pytest.approx(2 / 3) and result.pairwise.recall == 1.0
    assert result.pairwise.f1 == pytest.approx(0.8)
    assert result.valid_id_merges == 1 and result.persons_merged_away == 1
    assert result.wrong_merges == {"same name": 1}  # B is the cluster's main person
    # households: B and C are in different households, so the household score drops too
    assert result.households is not None and result.households.precision < 1.0


def test_missing_records_count_as_singletons_and_unknown_ones_are_left_out() -> None:
    clusters = _clusters(("ga1", "mz1"), ("ga2", "wj2"), ("ga3",), ("xx9",))
    result = evaluate(TRUTH, clusters)
    assert result.missing == 1 and result.unknown == 1
    assert result.pairs.true_positive == 2 and result.pairwise.precision == 1.0


def test_hard_case_groups_merged() -> None:
    twins = [
        _record("ga1", ID_A, ID_A, "twin"),
        _record("ga2", ID_B, ID_B, "twin"),
        _record("wj2", ID_B, "", "twin"),
    ]
    # A and B share household H1 but not a birth date, so they are no twin group
    assert evaluate(twins, _clusters(("ga1", "ga2", "wj2"))).hard_cases["twin"] == (0, 0)
    same_day = [
        _record("ga1", ID_A, ID_A, "twin"),
        _record("ga2", TWIN_OF_A, TWIN_OF_A, "twin"),
    ]
    assert evaluate(same_day, _clusters(("ga1",), ("ga2",))).hard_cases["twin"] == (0, 1)
    merged = evaluate(same_day, _clusters(("ga1", "ga2")))
    assert merged.hard_cases["twin"] == (1, 1) and merged.wrong_merges == {"twin": 1}


def test_pair_counting_from_sizes() -> None:
    counts = pairwise([3, 2, 1], [3, 3], [3, 2, 1])
    assert (counts.true_positive, counts.predicted, counts.actual) == (4, 6, 4)


def test_read_clusters(tmp_path: Path) -> None:
    path = tmp_path / "clusters.csv"
    path.write_text("source,source_id,cluster_id,household_cluster_id\nga,1,p1,h1\n", "utf-8")
    assert read_clusters(path) == {"ga\t1": ("p1", "h1")}
    path.write_text("source,id\nga,1\n", "utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        read_clusters(path)


def test_generate_and_evaluate_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given a labelled set written by the command, and its own truth as the clustering
    labelled = tmp_path / "labelled.csv"
    main(["identity", "generate", "--persons", "300", "--seed", "3", "--output", str(labelled)])
    rows = list(csv.DictReader(labelled.open(encoding="utf-8")))
    clusters = tmp_path / "clusters.csv"
    with clusters.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source", "source_id", "cluster_id", "household_cluster_id"))
        writer.writerows((r["source"], r["source_id"], r["truth"], "") for r in rows[:-1])
    capsys.readouterr()
    # when it is evaluated
    main(["identity", "evaluate", "--truth", str(labelled), "--clusters", str(clusters), "--json"])
    # then the scores are perfect but for the one record left out
    result = json.loads(capsys.readouterr().out)
    assert result["records"] == len(rows) and result["missing"] == 1
    assert result["pairwise"]["precision"] == 1.0 and result["pairwise"]["recall"] < 1.0
    with pytest.raises(SystemExit):
        main(["identity", "evaluate", "--truth", str(tmp_path / "no.csv"), "--clusters", "x"])
