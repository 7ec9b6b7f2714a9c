"""Stable IDs: clusters keep the residents of the last run; merges, splits, retirements."""

from __future__ import annotations

import numpy as np

from identity.stable import NEW, assign


def arr(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def test_unchanged_clusters_keep_their_residents() -> None:
    got = assign(arr(0, 0, 1, 2), arr(7, 7, 3, 9), [3, 7, 9])
    assert got.owner == [7, 3, 9]
    assert (got.merged, got.split, got.created, got.retired) == ([], [], [], [])


def test_a_cluster_holding_two_residents_is_a_merge_into_the_older() -> None:
    got = assign(arr(0, 0, 0), arr(7, 7, 3), [3, 7])
    assert got.owner == [3]
    assert got.merged == [(3, 7)]


def test_the_larger_part_keeps_the_id_and_the_smaller_is_split_off() -> None:
    got = assign(arr(0, 1, 1), arr(5, 5, 5), [5])
    assert got.owner == [NEW, 5]
    assert got.split == [(5, 0)]


def test_new_records_make_new_persons_and_vanished_residents_retire() -> None:
    got = assign(arr(0, 1), arr(4, NEW), [4, 8])
    assert got.owner == [4, NEW]
    assert got.created == [1]
    assert got.retired == [8]
