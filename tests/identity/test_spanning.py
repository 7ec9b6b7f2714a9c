"""The pairs that explain a person: a maximum spanning forest inside each cluster."""

from __future__ import annotations

import numpy as np

from identity.spanning import spanning_edges


def test_the_strongest_pairs_that_join_each_person_are_kept() -> None:
    labels = np.array([0, 0, 0, 1, 1], dtype=np.int64)
    left = np.array([0, 0, 1, 3, 2], dtype=np.int64)
    right = np.array([1, 2, 2, 4, 3], dtype=np.int64)
    chances = np.array([0.99, 0.97, 0.999, 0.98, 0.99])
    edges = spanning_edges(labels, left, right, chances, 0.95)
    assert sorted(edges.pairs.tolist()) == [0, 2, 3]  # 1-2 and 0-1 join 0, 1, 2; 3-4; 2-3 crosses
    assert edges.manual == []


def test_records_joined_only_by_a_manual_merge_show_it() -> None:
    labels = np.array([0, 0, 0], dtype=np.int64)
    left, right = np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    edges = spanning_edges(labels, left, right, np.array([0.99]), 0.95, [(0, 2), (1, 2)])
    assert edges.pairs.tolist() == [0]
    assert edges.manual == [(0, 2)]  # (1, 2) adds nothing once 2 is joined
