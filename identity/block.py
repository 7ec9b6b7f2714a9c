"""Stage 2: candidate pairs, without comparing every record with every other.

A blocking rule names frame columns; two records become a candidate pair when they
hold the same non-missing code in every one of them. Each rule is one sort: records
are ordered by key, equal keys form a block, and all pairs inside a block are written
out with ``np.repeat`` arithmetic, so a million records cost seconds, not a Python
loop. Pairs found by several rules are kept once, with a bit per rule that found them.

A block larger than ``max_block_size`` (one phone number on 800 records, say, a
village committee's) would add a quadratic number of pairs that are nearly all
different people; it is skipped and reported, and the other rules still see its
records.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from identity.frame import Codes, Frame

Index = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkippedBlock:
    rule: str
    size: int  # records holding the key
    example: int  # one of those records, to show which value it was


@dataclass(frozen=True, eq=False)
class Candidates:
    """Distinct pairs ``left[k] < right[k]``, sorted; ``found_by[k]`` has a bit per rule."""

    left: Index
    right: Index
    found_by: NDArray[np.uint32]
    rules: tuple[str, ...]
    generated: dict[str, int]  # pairs each rule produced, before removing repeats
    skipped: tuple[SkippedBlock, ...]

    def __len__(self) -> int:
        return len(self.left)

    def only_by(self, rule: str) -> int:
        """Pairs that no other rule found: what dropping ``rule`` would lose."""
        return int(np.count_nonzero(self.found_by == 1 << self.rules.index(rule)))


def block(frame: Frame, rules: Sequence[BlockingRule], max_block_size: int = 1000) -> Candidates:
    """Candidate pairs of ``frame`` under ``rules``."""
    if len(rules) > 32:
        raise ValueError("at most 32 blocking rules")
    codes: list[Index] = []
    bits: list[NDArray[np.uint32]] = []
    generated: dict[str, int] = {}
    skipped: list[SkippedBlock] = []
    for number, rule in enumerate(rules):
        left, right, big = block_pairs(rule_key(frame, rule), max_block_size)
        skipped.extend(SkippedBlock(rule.name, size, example) for size, example in big)
        generated[rule.name] = len(left)
        codes.append(left * frame.size + right)
        bits.append(np.full(len(left), 1 << number, dtype=np.uint32))
    pair_codes = np.concatenate(codes) if codes else np.empty(0, np.int64)
    found = np.concatenate(bits) if bits else np.empty(0, np.uint32)
    order = np.argsort(pair_codes, kind="stable")
    pair_codes, found = pair_codes[order], found[order]
    starts = np.flatnonzero(np.r_[True, pair_codes[1:] != pair_codes[:-1]]) if len(order) else order
    unique = pair_codes[starts]
    found_by = np.bitwise_or.reduceat(found, starts) if len(starts) else found
    return Candidates(
        left=unique // max(frame.size, 1),
        right=unique % max(frame.size, 1),
        found_by=found_by.astype(np.uint32),
        rules=tuple(rule.name for rule in rules),
        generated=generated,
        skipped=tuple(sorted(skipped, key=lambda s: (-s.size, s.rule))),
    )


def rule_key(frame: Frame, rule: BlockingRule) -> Codes:
    """One code per record for the rule's columns together; -1 if any is missing."""
    key = frame.column(rule.columns[0]).copy()
    for name in rule.columns[1:]:
        other = frame.column(name)
        missing = (key < 0) | (other < 0)
        key = key * (int(other.max(initial=0)) + 1) + other
        key[missing] = -1
        if int(key.max(initial=0)) > 1 << 40:  # keep codes small before combining further
            present = key >= 0
            key[present] = np.unique(key[present], return_inverse=True)[1]
    return key


def block_pairs(key: Codes, max_block_size: int) -> tuple[Index, Index, list[tuple[int, int]]]:
    """All pairs of records sharing a key, as (lower index, higher index), and the
    (size, example record) of each block that was too large to pair."""
    present = np.flatnonzero(key >= 0)
    order = present[np.argsort(key[present], kind="stable")]
    if len(order) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), []
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    too_big = sizes > max_block_size
    big = [
        (int(size), int(order[start]))
        for size, start in zip(sizes[too_big], starts[too_big], strict=True)
    ]
    usable = np.where(too_big, 0, sizes)
    position = np.arange(len(order)) - np.repeat(starts, sizes)
    partners = np.repeat(usable, sizes) - 1 - position  # later records in the same block
    partners[partners < 0] = 0
    first = np.repeat(np.arange(len(order)), partners)
    step = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    a, b = order[first], order[first + 1 + step]
    return np.minimum(a, b), np.maximum(a, b), big


def blocking_recall(candidates: Candidates, truth: Sequence[Hashable] | NDArray[np.int64]) -> float:
    """Share of the true pairs (records with equal truth labels) among the candidates.

    ``truth`` holds one entity label per record; ``None`` marks a record whose entity
    is unknown, paired with nothing."""
    labels = _truth_codes(truth)
    if len(labels) <= int(candidates.right.max(initial=-1)):
        raise ValueError("truth must hold one label per record")
    known = labels[labels >= 0]
    sizes = np.bincount(known) if len(known) else np.zeros(0, np.int64)
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    if true_pairs == 0:
        return 1.0
    left, right = labels[candidates.left], labels[candidates.right]
    found = int(np.count_nonzero((left == right) & (left >= 0)))
    return found / true_pairs


def _truth_codes(truth: Sequence[Hashable] | NDArray[np.int64]) -> Codes:
    codes: dict[Hashable, int] = {}
    return np.array(
        [-1 if label is None else codes.setdefault(label, len(codes)) for label in truth],
        dtype=np.int64,
    )
