"""What every comparison shares: the base class, and fuzzy similarity of text columns.

A comparison is a small object: given a frame and pairs of record indices it returns
one level per pair, level 0 always meaning "no evidence" (a value missing on either
side; placeholders were already made missing by normalisation, so they never agree).
Levels are ordered from the strongest agreement to disagreement; the weights they
earn are learnt later, so a level only has to separate situations that deserve
different weights.

Each comparison also carries prior guesses of its m and u probabilities (used to
start EM and to smooth estimates on small inputs) and, for levels where agreement on
a common value is weaker evidence than on a rare one, the frame column whose term
frequencies adjust the weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist, cpdist

from identity.frame import Frame

Index = NDArray[np.int64]
Levels = NDArray[np.int8]
CELLS_PER_PAIR = 8  # a matrix of distinct values is worth it up to this many cells a pair


@dataclass(frozen=True)
class Comparison:
    """Base: ``levels[0]`` is "null"; ``m_prior``/``u_prior`` cover ``levels[1:]``."""

    name: str
    levels: tuple[str, ...]
    m_prior: tuple[float, ...]
    u_prior: tuple[float, ...]
    tf_columns: Mapping[int, str] = field(default_factory=dict)
    fixed_m: Mapping[int, float] = field(default_factory=dict)  # levels whose m is known

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        raise NotImplementedError

    def level(self, label: str) -> int:
        return self.levels.index(label)


def similarity(
    frame: Frame,
    column: str,
    left: Index,
    right: Index,
    right_column: str | None = None,
    cutoff: float = 0.0,
) -> NDArray[np.float32]:
    """Jaro-Winkler similarity per pair of the text column ``column`` of the left record
    and ``right_column`` (default: the same) of the right one: -1 where either is
    missing, 0 below ``cutoff`` (which lets rapidfuzz stop early)."""
    right_column = right_column or column
    a, b = frame.column(column)[left], frame.column(right_column)[right]
    out = np.where((a >= 0) & (b >= 0), 0.0, -1.0).astype(np.float32)
    if right_column == column:
        out[(a == b) & (a >= 0)] = 1.0
    todo = np.flatnonzero(out == 0.0)
    if len(todo):
        values = frame.vocabulary[column], frame.vocabulary[right_column]
        out[todo] = _jaro_winkler(values, a[todo], b[todo], cutoff)
    return out


def _jaro_winkler(
    values: tuple[NDArray[np.object_], NDArray[np.object_]],
    left: Index,
    right: Index,
    cutoff: float,
) -> NDArray[np.float32]:
    """Similarity of ``values[0][left]`` and ``values[1][right]`` pair by pair, or through
    a matrix of the distinct values when that costs fewer than ``CELLS_PER_PAIR`` cells a
    pair: a cell costs a tenth of a pair (each value is prepared once, not per pair),
    and a few thousand names or roads meet each other in a million random pairs."""
    firsts, first_at = _distinct(left, len(values[0]))
    seconds, second_at = _distinct(right, len(values[1]))
    scorer = JaroWinkler.normalized_similarity
    if len(firsts) * len(seconds) <= CELLS_PER_PAIR * len(left):
        table = cdist(
            list(values[0][firsts]), list(values[1][seconds]), scorer=scorer,
            score_cutoff=cutoff, dtype=np.float32, workers=-1,
        )  # fmt: skip
        found: NDArray[np.float32] = table[first_at, second_at]
        return found
    return cpdist(
        list(values[0][left]), list(values[1][right]), scorer=scorer, score_cutoff=cutoff,
        dtype=np.float32, workers=-1,
    )  # fmt: skip


def _distinct(codes: Index, size: int) -> tuple[Index, Index]:
    """The distinct codes (of ``size`` possible) in order, and each one's position among
    them: ``np.unique`` with its inverse, in linear time."""
    seen = np.zeros(size, dtype=bool)
    seen[codes] = True
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[codes]
