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
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist, cpdist

from identity.frame import Frame

Index = NDArray[np.int64]
Levels = NDArray[np.int8]
CELLS_PER_PAIR = 16  # see pair_scores


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
        scorer = JaroWinkler.normalized_similarity
        out[todo] = pair_scores(frame, (column, right_column), a[todo], b[todo], scorer, cutoff)
    return out


def pair_scores(
    frame: Frame,
    columns: tuple[str, str],
    left: Index,
    right: Index,
    scorer: Any,
    cutoff: float,
) -> NDArray[Any]:
    """``scorer`` (a symmetric rapidfuzz metric) of the values with codes ``left`` in
    column ``columns[0]`` and ``right`` in ``columns[1]``, pair by pair.

    When the two columns hold few enough distinct values (``CELLS_PER_PAIR`` cells of
    their table a pair, at most), the scores of every value against every other are
    computed once instead, kept on the frame for every other comparison and call that
    asks, and looked up: a few thousand names or roads meet each other in a million
    random pairs, and both parts of a Latin name are compared in both orders. A cell
    costs a tenth of a pair (each value is prepared once, not per pair), and a table
    serves several comparisons, hence a bar above ten cells a pair."""
    key, turned = (scorer, cutoff, *columns), (scorer, cutoff, *reversed(columns))
    if key in frame.tables:
        return frame.tables[key][left, right]
    if turned in frame.tables:
        return frame.tables[turned][right, left]
    values = frame.vocabulary[columns[0]][:-1], frame.vocabulary[columns[1]][:-1]
    if len(values[0]) * len(values[1]) <= CELLS_PER_PAIR * len(left):
        table = cdist(list(values[0]), list(values[1]), scorer=scorer, score_cutoff=cutoff,
                      workers=-1)  # fmt: skip
        frame.tables[key] = table
        return table[left, right]
    return cpdist(
        list(values[0][left]), list(values[1][right]), scorer=scorer, score_cutoff=cutoff,
        workers=-1,
    )  # fmt: skip
