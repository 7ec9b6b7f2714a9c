"""Clustering under constraints, and the provisional grouping into households."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest

from identity import RawRecord, normalize_record
from identity.cluster import (
    cluster,
    components,
    first_seen_labels,
    group_households,
    union_find,
)
from identity.frame import build_frame

NO_ID = -1


def arrays(*pairs: tuple[int, int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    left, right, chance = zip(*pairs, strict=True) if pairs else ((), (), ())
    return np.array(left, np.int64), np.array(right, np.int64), np.array(chance, np.float64)


def persons(labels: np.ndarray) -> list[set[int]]:
    groups: dict[int, set[int]] = {}
    for record, label in enumerate(labels.tolist()):
        groups.setdefault(label, set()).add(record)
    return sorted(groups.values(), key=min)


def test_pairs_above_the_threshold_join_and_the_rest_do_not() -> None:
    valid = np.full(5, NO_ID)
    left, right, chance = arrays((0, 1, 0.99), (1, 2, 0.96), (3, 4, 0.9))
    found = cluster(valid, left, right, chance, threshold=0.95)
    assert persons(found.labels) == [{0, 1, 2}, {3}, {4}]
    assert found.linked == 2 and found.sizes.max() == 3


def test_a_chain_never_joins_two_valid_id_numbers() -> None:
    # Given records 0 and 2 with different valid numbers, linked through record 1 (no ID)
    valid = np.array([7, NO_ID, 9])
    left, right, chance = arrays((0, 1, 0.97), (1, 2, 0.99))
    # When clustered, strongest first
    found = cluster(valid, left, right, chance, threshold=0.95)
    # Then record 1 joins its stronger partner and the weaker link is refused
    assert persons(found.labels) == [{0}, {1, 2}]
    assert found.refused.tolist() == [0]
    assert found.refused_reasons == ("different valid ID numbers",)


def test_a_cannot_link_holds_transitively() -> None:
    valid = np.full(3, NO_ID)
    left, right, chance = arrays((0, 1, 0.99), (1, 2, 0.98))
    found = cluster(valid, left, right, chance, threshold=0.95, cannot_link=[(0, 2)])
    assert persons(found.labels) == [{0, 1}, {2}]
    assert found.refused_reasons == ("cannot-link",)


def test_a_must_link_joins_below_the_threshold_and_is_reported_when_ids_differ() -> None:
    valid = np.array([7, 9, NO_ID])
    left, right, chance = arrays((0, 2, 0.2))
    found = cluster(valid, left, right, chance, threshold=0.95, must_link=[(0, 1)])
    assert persons(found.labels) == [{0, 1}, {2}]
    assert found.conflicts == ("must-link 0-1 joins different valid ID numbers",)
    # the person now holds both numbers; a record with either may still join it
    found = cluster(np.array([7, 9, 7]), *arrays((0, 2, 0.99)), threshold=0.95, must_link=[(0, 1)])
    assert persons(found.labels) == [{0, 1, 2}]


def test_contradicting_manual_links_are_reported() -> None:
    valid = np.full(2, NO_ID)
    found = cluster(valid, *arrays(), threshold=0.95, must_link=[(0, 1)], cannot_link=[(1, 0)])
    assert persons(found.labels) == [{0, 1}]
    assert found.conflicts == ("cannot-link 1-0 contradicts the must-links",)


def test_a_person_stops_growing_at_the_size_limit() -> None:
    valid = np.full(6, NO_ID)
    left, right, chance = arrays(*((i, i + 1, 0.99 - i / 100) for i in range(5)))
    found = cluster(valid, left, right, chance, threshold=0.95, max_cluster_size=3)
    assert found.sizes.max() == 3
    assert set(found.refused_reasons) == {"person would exceed 3 records"}


@pytest.mark.parametrize("seed", range(25))
def test_persons_are_what_theunion_find_over_every_record_makes(seed: int) -> None:
    # Given random scored pairs among records with some valid IDs and manual links
    rng = np.random.default_rng(seed)
    count = int(rng.integers(2, 40))
    left, right = rng.integers(0, count, 80), rng.integers(0, count, 80)
    left, right = np.minimum(left, right)[left != right], np.maximum(left, right)[left != right]
    chance = rng.random(len(left)).round(2)
    valid = np.where(rng.random(count) < 0.3, rng.integers(0, 5, count), NO_ID)
    must = [(0, count - 1)] if seed % 3 == 0 else []
    cannot = [(1, count - 1)] if seed % 4 == 0 and count > 2 else []
    size = int(rng.integers(2, 10))
    # When clustered, most groups without the union-find
    found = cluster(valid, left, right, chance, 0.5, must, cannot, size)
    # Then the result is the union-find's over every record and every pair
    chosen = np.flatnonzero(chance >= 0.5)
    chosen = chosen[np.argsort(-chance[chosen], kind="stable")]
    everyone = np.arange(count)
    reference = union_find(valid, everyone, chosen, left, right, must, cannot, size)
    assert found.labels.tolist() == first_seen_labels(reference.labels).tolist()
    assert (found.linked, found.refused.tolist()) == (reference.linked, reference.refused.tolist())
    assert found.refused_reasons == reference.refused_reasons
    assert found.conflicts == reference.conflicts


def test_components_match_brute_force() -> None:
    rng = np.random.default_rng(11)
    a, b = rng.integers(0, 60, 45), rng.integers(0, 60, 45)
    roots = components(60, a, b)
    reach = {node: {node} for node in range(60)}
    for _ in range(60):
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            reach[x] = reach[y] = reach[x] | reach[y]
    for x, y in itertools.combinations(range(60), 2):
        assert (roots[x] == roots[y]) == (y in reach[x])


def test_labels_are_numbered_by_first_appearance() -> None:
    assert first_seen_labels(np.array([9, 3, 9, 1, 3])).tolist() == [0, 1, 0, 2, 1]


def test_households_join_by_household_number_or_dwelling_and_phone() -> None:
    flat = "荆门市东宝区龙泉街道七一桥社区3栋2单元501室"
    rows = [
        RawRecord(source="ga", source_id="1", household_key="H1", address=flat),
        RawRecord(source="ga", source_id="2", household_key="H1"),
        RawRecord(source="mz", source_id="3", household_key="H1"),  # another source's H1
        RawRecord(source="wj", source_id="4", address="七一桥社区3-2-501", phone="13800000001"),
        RawRecord(source="cl", source_id="5", address=flat, phone="13800000001"),
        RawRecord(source="cl", source_id="6", address=flat, phone="13800000002"),
    ]
    frame = build_frame([normalize_record(row, date(2024, 12, 31)) for row in rows])
    people = np.array([0, 1, 2, 3, 4, 0])  # record 5 is the same person as record 0
    found = group_households(frame, people)
    assert persons(found) == [{0, 1, 5}, {2}, {3, 4}]


@pytest.mark.parametrize("threshold", [0.5, 0.95])
def test_clustering_is_deterministic(threshold: float) -> None:
    rng = np.random.default_rng(4)
    left = rng.integers(0, 200, 400)
    right = (left + rng.integers(1, 5, 400)) % 200
    chance = rng.random(400)
    valid = np.where(rng.random(200) < 0.5, rng.integers(0, 150, 200), NO_ID)
    first = cluster(valid, left, right, chance, threshold)
    second = cluster(valid, left, right, chance, threshold)
    assert first.labels.tolist() == second.labels.tolist()
    for members in persons(first.labels):
        ids = {int(valid[m]) for m in members if valid[m] >= 0}
        assert len(ids) <= 1
