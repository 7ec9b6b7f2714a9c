"""Why a person's records are one person: the strongest pairs that join them.

A person of n records was built from many scored pairs; to explain it, n - 1 of them
suffice. Taking the pairs inside each person strongest first and keeping those that
join two parts not yet joined gives a maximum spanning forest: for every record, a
chain of the strongest evidence to the others. Records joined only by a person's
manual merge show that merge instead of a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Index = NDArray[np.int64]


@dataclass(frozen=True)
class Spanning:
    pairs: Index  # positions into the scored pairs, per kept edge
    manual: list[tuple[int, int]]  # record positions joined by a manual merge


def spanning_edges(
    labels: Index,
    left: Index,
    right: Index,
    probabilities: NDArray[np.float64],
    threshold: float,
    must_link: Sequence[tuple[int, int]] = (),
) -> Spanning:
    """The edges that explain each person: scored pairs first, manual merges last."""
    inside = (labels[left] == labels[right]) & (probabilities >= threshold)
    chosen = np.flatnonzero(inside)
    chosen = chosen[np.argsort(-probabilities[chosen], kind="stable")]
    parent = list(range(len(labels)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    kept: list[int] = []
    ends = zip(chosen.tolist(), left[chosen].tolist(), right[chosen].tolist(), strict=True)
    for position, a, b in ends:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[root_b] = root_a
            kept.append(position)
    manual: list[tuple[int, int]] = []
    for a, b in must_link:
        root_a, root_b = find(a), find(b)
        if root_a != root_b and labels[a] == labels[b]:
            parent[root_b] = root_a
            manual.append((a, b))
    return Spanning(np.array(kept, dtype=np.int64), manual)
