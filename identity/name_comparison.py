"""Names compared: a Chinese name whole, a Latin name part by part.

A Chinese name is one unit: a surname from a few hundred, and the given name that
tells people apart, so it is compared whole, by characters and by pinyin
(``NameComparison``). A Latin name's given name and surname are each informative, each
misspelt or left out on its own, and registers swap them; so two Latin names are
compared part by part (``NamePartComparison``, one for the given name and one for the
surname, as independent evidence), both parts aligned straight or swapped, whichever
agrees more. Each comparison is null where the other applies, so no name counts twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from identity.comparison import Comparison, Index, Levels, similarity
from identity.frame import LATIN, Frame

Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class NameComparison(Comparison):
    """Names, unless both are Latin: the same name; the same pinyin (homophones: 张伟 /
    章伟); Jaro-Winkler on the pinyin at least ``close``; different. Exact and pinyin
    agreement are adjusted by how common the name is."""

    name: str = "name"
    levels: tuple[str, ...] = ("null", "exact", "pinyin", "close", "different")
    m_prior: tuple[float, ...] = (0.9, 0.06, 0.02, 0.02)
    u_prior: tuple[float, ...] = (2e-4, 1e-4, 5e-3, 0.9947)
    tf_columns: Mapping[int, str] = field(default_factory=lambda: {1: "name", 2: "pinyin"})
    close: float = 0.9

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        name_l, name_r = frame.codes["name"][left], frame.codes["name"][right]
        pinyin_l, pinyin_r = frame.codes["pinyin"][left], frame.codes["pinyin"][right]
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        present = (name_l >= 0) & (name_r >= 0) & ~both_latin(frame, left, right)
        rest = np.flatnonzero(present & (name_l != name_r) & (pinyin_l != pinyin_r))
        if len(rest):
            close = cpdist(
                list(frame.text("pinyin", left[rest])),
                list(frame.text("pinyin", right[rest])),
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=self.close,
                dtype=np.float32,
                workers=-1,
            )
            out[rest[close >= self.close]] = self.level("close")
        out[pinyin_l == pinyin_r] = self.level("pinyin")
        out[name_l == name_r] = self.level("exact")
        out[~present] = 0
        return out


@dataclass(frozen=True)
class NamePartComparison(Comparison):
    """One part (``given`` or ``surname``) of two Latin names: exact, Jaro-Winkler at
    least ``close``, at least ``similar``, different; exact agreement adjusted by how
    common the value is. The left record's part is compared with whichever part of
    the right one the better alignment of the two names pairs it with."""

    name: str = "surname"
    levels: tuple[str, ...] = ("null", "exact", "close", "similar", "different")
    m_prior: tuple[float, ...] = (0.85, 0.08, 0.04, 0.03)
    u_prior: tuple[float, ...] = (2e-3, 3e-3, 2e-2, 0.975)
    tf_columns: Mapping[int, str] = field(default_factory=lambda: {1: "surname"})
    part: str = "surname"
    close: float = 0.9
    similar: float = 0.7

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        out = np.zeros(len(left), dtype=np.int8)
        rows = np.flatnonzero(both_latin(frame, left, right))
        if not len(rows):
            return out
        given, surname = aligned_parts(frame, left[rows], right[rows])
        score = given if self.part == "given" else surname
        levels = np.full(len(rows), self.level("different"), dtype=np.int8)
        levels[score >= self.similar] = self.level("similar")
        levels[score >= self.close] = self.level("close")
        levels[score >= 1.0] = self.level("exact")
        levels[score < 0] = 0
        out[rows] = levels
        return out


def both_latin(frame: Frame, left: Index, right: Index) -> Mask:
    script = frame.codes["name_script"]
    return (script[left] == LATIN) & (script[right] == LATIN)


def aligned_parts(
    frame: Frame, left: Index, right: Index
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Similarity of the left record's given name and of its surname with the right
    record's parts, aligned straight or swapped, whichever agrees more; -1 where
    either side lacks the part."""
    straight = _pair(frame, left, right, ("given", "given"), ("surname", "surname"))
    swapped = _pair(frame, left, right, ("given", "surname"), ("surname", "given"))
    take = np.maximum(swapped, 0).sum(axis=0) > np.maximum(straight, 0).sum(axis=0)
    given, surname = np.where(take, swapped, straight)
    return given, surname


def _pair(
    frame: Frame, left: Index, right: Index, *columns: tuple[str, str]
) -> NDArray[np.float32]:
    """Similarities of the two parts under one alignment: shape (2, pairs)."""
    return np.stack([similarity(frame, a, left, right, b) for a, b in columns])
