"""Stable person IDs: this run's clusters matched to the residents of the last one.

A run labels records 0, 1, … afresh; people must keep their IDs. Each earlier resident
stays with the cluster that holds most of its records (ties: the lowest label, which
is the cluster seen first), so a resident whose records stayed together keeps its ID
and nothing is rewritten. A cluster that keeps several earlier residents is a merge:
the oldest (smallest) ID survives and the others redirect to it. A cluster that keeps
none but holds records of an earlier resident is split off it and gets a new ID; one
with no earlier records at all is a new person. Earlier residents kept by no cluster
have lost all their records: they are retired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Index = NDArray[np.int64]
NEW = -1


@dataclass(frozen=True)
class Assignment:
    owner: list[int]  # per cluster label: the earlier resident ID it keeps, or NEW
    merged: list[tuple[int, int]]  # (survivor, absorbed)
    split: list[tuple[int, int]]  # (earlier resident, label of the cluster split off it)
    created: list[int]  # labels of clusters with no earlier records
    retired: list[int]  # earlier residents no cluster keeps


def assign(labels: Index, previous: Index, earlier: Sequence[int] = ()) -> Assignment:
    """``labels``: this run's cluster per record; ``previous``: the resident each record
    belonged to (NEW if none); ``earlier``: every resident the last run left active,
    so those that lost all their records are reported as retired."""
    clusters = int(labels.max(initial=-1)) + 1
    known = previous >= 0
    pairs = np.stack([previous[known], labels[known]], axis=1)
    counted: tuple[Index, Index] = (
        np.unique(pairs, axis=0, return_counts=True) if len(pairs) else (pairs, pairs[:, 0])
    )
    unique, counts = counted
    keeper: dict[int, tuple[int, int]] = {}  # resident -> (records, label)
    holders: dict[int, list[int]] = {}  # label -> earlier residents with records in it
    for (resident, label), count in zip(unique.tolist(), counts.tolist(), strict=True):
        holders.setdefault(label, []).append(resident)
        best = keeper.get(resident)
        if best is None or (count, -label) > (best[0], -best[1]):
            keeper[resident] = (int(count), label)
    kept: dict[int, list[int]] = {}
    for resident, (_, label) in keeper.items():
        kept.setdefault(label, []).append(resident)
    owner = [NEW] * clusters
    merged: list[tuple[int, int]] = []
    split: list[tuple[int, int]] = []
    created: list[int] = []
    for label in range(clusters):
        residents = sorted(kept.get(label, ()))
        if residents:
            owner[label] = residents[0]
            merged += [(residents[0], absorbed) for absorbed in residents[1:]]
        elif label in holders:
            split.append((min(holders[label]), label))
        else:
            created.append(label)
    retired = sorted(set(earlier) - set(keeper))
    return Assignment(owner, merged, split, created, retired)
