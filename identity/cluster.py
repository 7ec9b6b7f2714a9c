"""Stage 5: records into persons, and persons into households.

Persons are the connected components of the pairs scored at or above the link
threshold, built by a union-find that can say no. Pairs are taken strongest first, and
a union is refused when it would put two different valid 18-digit ID numbers in one
person (so a chain of weaker links can never do what no single link may), join
records a person has split apart (cannot-link), or grow a person beyond a size no
human reaches (chaining through dense village addresses). A person's manual merges
(must-link) are applied first and unconditionally: a cadre who merges two residents
with different valid numbers knows something the numbers do not, and the conflict is
reported rather than overruled.

Households are simpler and only provisional: persons are grouped when their records
share a household number within one source, or share both a dwelling and a phone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from identity.frame import Frame

Index = NDArray[np.int64]
Link = tuple[int, int]
_NO_IDS: frozenset[int] = frozenset()


@dataclass(frozen=True, eq=False)
class Clustering:
    labels: Index  # person per record, numbered in order of each person's first record
    linked: int  # scored pairs that joined two components
    refused: Index  # positions (into the scored pairs) of links the constraints refused
    refused_reasons: tuple[str, ...]  # one per refused link
    conflicts: tuple[str, ...] = field(default=())  # manual links contradicting each other

    @property
    def sizes(self) -> Index:
        return np.bincount(self.labels) if len(self.labels) else np.zeros(0, np.int64)


class _Components:
    """Union-find keeping, per component, its valid IDs, size and forbidden records."""

    def __init__(self, valid_id: Index) -> None:
        self.parent = list(range(len(valid_id)))
        self.size = [1] * len(valid_id)
        self.ids: list[frozenset[int]] = [
            frozenset((int(v),)) if v >= 0 else _NO_IDS for v in valid_id.tolist()
        ]
        self.banned: dict[int, set[int]] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def refusal(self, a: int, b: int, max_size: int) -> str | None:
        """Why roots ``a`` and ``b`` may not join, or None."""
        ids_a, ids_b = self.ids[a], self.ids[b]
        if ids_a and ids_b and ids_a != ids_b and not (ids_a <= ids_b or ids_b <= ids_a):
            return "different valid ID numbers"
        if self.banned and any(
            self.find(record) == y for x, y in ((a, b), (b, a)) for record in self.banned.get(x, ())
        ):
            return "cannot-link"
        if self.size[a] + self.size[b] > max_size:
            return f"person would exceed {max_size} records"
        return None

    def union(self, a: int, b: int) -> None:
        size = self.size
        if size[a] < size[b]:
            a, b = b, a
        self.parent[b] = a
        size[a] += size[b]
        ids_a, ids_b = self.ids[a], self.ids[b]
        if ids_b and ids_a != ids_b:
            self.ids[a] = ids_a | ids_b
        if b in self.banned:
            self.banned.setdefault(a, set()).update(self.banned.pop(b))


def cluster(
    valid_id: Index,
    left: Index,
    right: Index,
    probability: NDArray[np.float64],
    threshold: float,
    must_link: Iterable[Link] = (),
    cannot_link: Iterable[Link] = (),
    max_cluster_size: int = 200,
) -> Clustering:
    """Persons of ``len(valid_id)`` records (``valid_id``: code of a record's valid ID
    number or -1) from scored pairs, under the constraints described above.

    Most persons need no union-find: a group of records joined by links at or above
    the threshold, holding at most one valid ID number, no manual link and no more
    than ``max_cluster_size`` records, would accept every one of its links whatever
    their order, so it is one person as it stands (found in numpy). Only the other
    groups go through the union-find, strongest link first.
    """
    must, cannot = list(must_link), list(cannot_link)
    chosen = np.flatnonzero(probability >= threshold)
    chosen = chosen[np.argsort(-probability[chosen], kind="stable")]
    ends = [np.array(links, dtype=np.int64).reshape(-1, 2) for links in (must, cannot)]
    a, b = np.r_[left[chosen], ends[0][:, 0]], np.r_[right[chosen], ends[0][:, 1]]
    roots = components(len(valid_id), a, b)
    risky = _risky(roots, valid_id, max_cluster_size)
    risky[roots[ends[1].ravel()]] = True  # cannot-links: only the union-find keeps them
    risky[roots[ends[0].ravel()]] = True
    nodes = np.flatnonzero(risky[roots])
    linked = len(roots) - len(np.unique(roots)) - (len(nodes) - len(np.unique(roots[nodes])))
    if len(nodes):
        local = np.full(len(valid_id), -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        inside = chosen[risky[roots[left[chosen]]]]
        found = union_find(
            valid_id[nodes], local, inside, left, right, must, cannot, max_cluster_size
        )
        roots[nodes] = nodes[found.labels]
        linked += found.linked
    else:
        found = Clustering(np.empty(0, np.int64), 0, np.empty(0, np.int64), ())
    return Clustering(
        labels=first_seen_labels(roots),
        linked=linked,
        refused=found.refused,
        refused_reasons=found.refused_reasons,
        conflicts=found.conflicts,
    )


def _risky(roots: Index, valid_id: Index, max_cluster_size: int) -> NDArray[np.bool_]:
    """Per root: does its group hold two different valid IDs, or too many records?"""
    sizes = np.bincount(roots, minlength=len(roots))
    risky = sizes > max_cluster_size
    known = valid_id >= 0
    pairs = np.unique(roots[known] * (int(valid_id.max(initial=0)) + 1) + valid_id[known])
    ids_per_root = np.bincount(pairs // (int(valid_id.max(initial=0)) + 1), minlength=len(roots))
    risky |= ids_per_root > 1
    return risky


def union_find(
    valid_id: Index,
    local: Index,
    chosen: Index,
    left: Index,
    right: Index,
    must_link: list[Link],
    cannot_link: list[Link],
    max_cluster_size: int,
) -> Clustering:
    """The union-find over some records (``local``: each record's position among them,
    ``valid_id`` theirs) and the ``chosen`` pairs among them, strongest first; labels
    are each record's root, as a position among them."""
    parts = _Components(valid_id)
    conflicts: list[str] = []
    for a, b in must_link:
        root_a, root_b = parts.find(int(local[a])), parts.find(int(local[b]))
        if root_a != root_b:
            if parts.refusal(root_a, root_b, len(local)) is not None:
                conflicts.append(f"must-link {a}-{b} joins different valid ID numbers")
            parts.union(root_a, root_b)
    for a, b in cannot_link:
        root_a, root_b = parts.find(int(local[a])), parts.find(int(local[b]))
        if root_a == root_b:
            conflicts.append(f"cannot-link {a}-{b} contradicts the must-links")
            continue
        parts.banned.setdefault(root_a, set()).add(int(local[b]))
        parts.banned.setdefault(root_b, set()).add(int(local[a]))
    refused: list[int] = []
    reasons: list[str] = []
    linked = 0
    find, refusal, union = parts.find, parts.refusal, parts.union
    for position, a, b in zip(
        chosen.tolist(), local[left[chosen]].tolist(), local[right[chosen]].tolist(), strict=True
    ):
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            continue
        reason = refusal(root_a, root_b, max_cluster_size)
        if reason is None:
            union(root_a, root_b)
            linked += 1
        else:
            refused.append(position)
            reasons.append(reason)
    roots = np.array(parts.parent, dtype=np.int64)
    while not np.array_equal(jumped := roots[roots], roots):
        roots = jumped
    return Clustering(
        labels=roots,
        linked=linked,
        refused=np.array(refused, dtype=np.int64),
        refused_reasons=tuple(reasons),
        conflicts=tuple(conflicts),
    )


def group_households(frame: Frame, persons: Index) -> Index:
    """A household per record: persons joined by a shared household number (within a
    source) or by sharing both dwelling and phone."""
    count = int(persons.max(initial=-1)) + 1
    dwelling, phone = frame.codes["dwelling"], frame.codes["phone"]
    both = np.where(
        (dwelling >= 0) & (phone >= 0), dwelling * (int(phone.max(initial=0)) + 1) + phone, -1
    )
    edges = [_neighbours(frame.codes["household"]), _neighbours(both)]
    a = np.concatenate([persons[first] for first, _ in edges])
    b = np.concatenate([persons[second] for _, second in edges])
    roots = components(count, a, b)
    return first_seen_labels(roots[persons])


def _neighbours(key: Index) -> tuple[Index, Index]:
    """Edges between records that are neighbours in key order and share a key: a chain
    connects a block as well as all its pairs do, in linear size."""
    present = np.flatnonzero(key >= 0)
    order = present[np.argsort(key[present], kind="stable")]
    steps = np.flatnonzero(key[order[1:]] == key[order[:-1]])
    return order[steps], order[steps + 1]


def components(count: int, a: Index, b: Index) -> Index:
    """Connected components of ``count`` nodes and edges (a, b): the smallest node of
    each component, per node. Hooking and pointer jumping, all in numpy."""
    parent = np.arange(count, dtype=np.int64)
    while True:
        root_a, root_b = parent[a], parent[b]
        differ = root_a != root_b
        if not differ.any():
            return parent
        low = np.minimum(root_a[differ], root_b[differ])
        np.minimum.at(parent, root_a[differ], low)
        np.minimum.at(parent, root_b[differ], low)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def first_seen_labels(roots: Index) -> Index:
    """Renumber component roots 0, 1, … in the order of each component's first node."""
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    labels: Index = rank[inverse]
    return labels
