"""Stage 3: comparison levels per field for candidate pairs.

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

Phone, address and household number are one comparison on purpose: they say "same
household", and as three independent comparisons they add up and merge a family.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from identity.frame import ID_MISSING, ID_VALID, Frame

Index = NDArray[np.int64]
Levels = NDArray[np.int8]
CHUNK = 1 << 20


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


@dataclass(frozen=True)
class IdComparison(Comparison):
    """ID numbers. A valid pair is exact or different; otherwise (legacy 15-digit or
    checksum failure) an equal value is unconfirmed, one wrong digit or one swap of
    neighbours among the 17 leading digits is "one_off", and anything else different.

    m of "different_valid" is not learnt but fixed near zero: clustering never joins
    two valid numbers, and the fixed level anchors EM, which otherwise, on a county's
    many namesakes born the same year, can settle on "same name" as its match class.
    """

    name: str = "id_number"
    levels: tuple[str, ...] = (
        "null", "exact", "exact_unconfirmed", "one_off", "different_valid", "different",
    )  # fmt: skip
    m_prior: tuple[float, ...] = (0.92, 0.04, 0.02, 0.0001, 0.0199)
    u_prior: tuple[float, ...] = (1e-7, 1e-7, 1e-6, 0.95, 0.05)
    fixed_m: Mapping[int, float] = field(default_factory=lambda: {4: 1e-6})

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        status_l, status_r = frame.id_status[left], frame.id_status[right]
        present = (status_l != ID_MISSING) & (status_r != ID_MISSING)
        value = frame.codes["id"]
        equal = present & (value[left] == value[right])
        both_valid = (status_l == ID_VALID) & (status_r == ID_VALID)
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        todo = np.flatnonzero(present & ~equal & ~both_valid)  # how far apart?
        a, b = left[todo], right[todo]
        has17 = (frame.codes["id17"][a] >= 0) & (frame.codes["id17"][b] >= 0)
        digits_a, digits_b = frame.id_digits[a[has17]], frame.id_digits[b[has17]]
        differing = digits_a != digits_b
        wrong = differing.sum(axis=1)
        swapped = (wrong == 2) & _adjacent_swap(digits_a, digits_b, differing)
        out[todo[has17][(wrong <= 1) | swapped]] = self.level("one_off")
        odd = todo[~has17]  # lengths other than 15 and 18: edit distance on the text
        if len(odd):
            texts_a, texts_b = frame.id_text[left[odd]], frame.id_text[right[odd]]
            distance = cpdist(list(texts_a), list(texts_b), scorer=DamerauLevenshtein.distance)
            out[odd[distance <= 1]] = self.level("one_off")
        out[equal] = self.level("exact_unconfirmed")
        out[both_valid & ~equal] = self.level("different_valid")
        out[both_valid & equal] = self.level("exact")
        out[~present] = 0
        return out


@dataclass(frozen=True)
class NameComparison(Comparison):
    """Names: same characters; same pinyin (homophones: 张伟 / 章伟); Jaro-Winkler on the
    pinyin at least ``close``; different. Exact and pinyin agreement are adjusted by how
    common the name is."""

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
        present = (name_l >= 0) & (name_r >= 0)
        rest = np.flatnonzero(present & (name_l != name_r) & (pinyin_l != pinyin_r))
        if len(rest):
            similarity = cpdist(
                list(frame.pinyin_text[left[rest]]),
                list(frame.pinyin_text[right[rest]]),
                scorer=JaroWinkler.normalized_similarity,
                score_cutoff=self.close,
                dtype=np.float32,
                workers=-1,
            )
            out[rest[similarity >= self.close]] = self.level("close")
        out[pinyin_l == pinyin_r] = self.level("pinyin")
        out[name_l == name_r] = self.level("exact")
        out[~present] = 0
        return out


@dataclass(frozen=True)
class BirthDateComparison(Comparison):
    """Birth dates: exact; one part wrong (day and month swapped, one digit wrong, or
    two neighbouring digits swapped); close (within ``close_days``, as a lunar and a
    solar birthday are); the same year; different.

    m of "different" is fixed small rather than learnt. Where ID numbers are missing,
    a father and son of one name in one household differ only there, and they agree
    on name and household, evidence that is not independent within a family; learnt
    from data in which such pairs are few, the weight of "different" comes out too
    weak to keep them apart.
    """

    name: str = "birth_date"
    levels: tuple[str, ...] = ("null", "exact", "one_part", "close", "year", "different")
    m_prior: tuple[float, ...] = (0.96, 0.02, 0.01, 0.005, 0.005)
    u_prior: tuple[float, ...] = (4e-5, 1e-3, 4e-3, 1e-2, 0.985)
    fixed_m: Mapping[int, float] = field(default_factory=lambda: {5: 1e-5})
    close_days: int = 62

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        birth, days = frame.codes["birth"], frame.codes["birth_day"]
        a, b = birth[left], birth[right]
        present = (a >= 0) & (b >= 0)
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        todo = np.flatnonzero(present & (a != b))  # how far apart?
        a, b = a[todo], b[todo]
        digits_a, digits_b = frame.birth_digits[left[todo]], frame.birth_digits[right[todo]]
        differing = digits_a != digits_b
        wrong = differing.sum(axis=1)
        same_year = a // 10_000 == b // 10_000
        month_a, day_a, month_b, day_b = (a // 100) % 100, a % 100, (b // 100) % 100, b % 100
        swapped = same_year & (month_a == day_b) & (day_a == month_b)
        swapped |= (wrong == 2) & _adjacent_swap(digits_a, digits_b, differing)
        apart = np.abs(days[left[todo]] - days[right[todo]])
        out[todo[same_year]] = self.level("year")
        out[todo[apart <= self.close_days]] = self.level("close")
        out[todo[swapped | (wrong == 1)]] = self.level("one_part")
        out[present & (birth[left] == birth[right])] = self.level("exact")
        out[~present] = 0
        return out


@dataclass(frozen=True)
class GenderComparison(Comparison):
    name: str = "gender"
    levels: tuple[str, ...] = ("null", "same", "different")
    m_prior: tuple[float, ...] = (0.995, 0.005)
    u_prior: tuple[float, ...] = (0.5, 0.5)

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        a, b = frame.codes["gender"][left], frame.codes["gender"][right]
        out = np.where(a == b, 1, 2).astype(np.int8)
        out[(a < 0) | (b < 0)] = 0
        return out


@dataclass(frozen=True)
class HouseholdComparison(Comparison):
    """Phone, address and household number as one "same household" comparison.

    Levels, strongest first: the same phone and dwelling; the same phone; the same
    dwelling (room, or village house) or household number; the same building (or
    village group, or estate); the same community; different. Address parts one side
    leaves out are compatible with anything. Agreement on a dwelling or phone shared
    by many records (a dormitory, a village committee's phone) counts for less."""

    name: str = "household"
    levels: tuple[str, ...] = (
        "null", "phone_and_dwelling", "phone", "dwelling", "building", "community", "different",
    )  # fmt: skip
    m_prior: tuple[float, ...] = (0.55, 0.1, 0.25, 0.02, 0.03, 0.05)
    u_prior: tuple[float, ...] = (1e-6, 1e-5, 1e-5, 1e-4, 1e-3, 0.99897)
    tf_columns: Mapping[int, str] = field(
        default_factory=lambda: {1: "dwelling", 2: "phone", 3: "dwelling"}
    )

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        codes = frame.codes

        def same(column: str) -> NDArray[np.bool_]:
            a, b = codes[column][left], codes[column][right]
            return (a == b) & (a >= 0)

        def both(column: str) -> NDArray[np.bool_]:
            return (codes[column][left] >= 0) & (codes[column][right] >= 0)

        def compatible(column: str) -> NDArray[np.bool_]:
            a, b = codes[column][left], codes[column][right]
            return (a == b) | (a < 0) | (b < 0)

        place = compatible("district") & compatible("street")
        phone = same("phone")
        dwelling = (same("dwelling") & place) | same("household")
        has_address = both("dwelling") | both("community") | both("district")
        comparable = both("phone") | has_address | (both("household") & same("source"))
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        out[same("community") & place] = self.level("community")
        out[same("block") & place] = self.level("building")
        out[dwelling] = self.level("dwelling")
        out[phone] = self.level("phone")
        out[phone & dwelling] = self.level("phone_and_dwelling")
        out[~comparable] = 0
        return out


def default_comparisons() -> tuple[Comparison, ...]:
    return (
        IdComparison(),
        NameComparison(),
        BirthDateComparison(),
        GenderComparison(),
        HouseholdComparison(),
    )


def compare(
    frame: Frame, comparisons: Sequence[Comparison], left: Index, right: Index
) -> NDArray[np.int8]:
    """Levels of every pair under every comparison: shape (pairs, comparisons)."""
    out = np.zeros((len(left), len(comparisons)), dtype=np.int8)
    for start in range(0, len(left), CHUNK):
        part = slice(start, start + CHUNK)
        for column, comparison in enumerate(comparisons):
            out[part, column] = comparison.compare(frame, left[part], right[part])
    return out


def _adjacent_swap(
    a: NDArray[np.integer], b: NDArray[np.integer], differing: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """For rows differing in exactly two digits: are they neighbours, swapped?"""
    first = np.argmax(differing, axis=1)
    second = np.minimum(first + 1, a.shape[1] - 1)
    rows = np.arange(len(a))
    return (
        differing[rows, second]
        & (a[rows, first] == b[rows, second])
        & (a[rows, second] == b[rows, first])
    )
