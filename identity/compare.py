"""Stage 3: comparison levels per field for candidate pairs.

The comparisons of the default model, one per kind of evidence: the resident ID
number, another identifier (``OtherIdComparison``), the name, or for two Latin names
their given names and their surnames (``identity.name_comparison``), the birth date,
the gender and the household (``identity.household_comparison``). What a comparison
is, and its level 0 ("null", which applies whenever a comparison has nothing to say
about a pair), is in ``identity.comparison``. ``compare`` runs them all over the
candidate pairs, a chunk at a time.

Phone, address and household number are one comparison on purpose: they say "same
household", and as three independent comparisons they add up and merge a family.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import cpdist

from identity.comparison import Comparison, Index, Levels
from identity.frame import ID_MISSING, ID_OTHER, ID_VALID, Frame
from identity.household_comparison import HouseholdComparison
from identity.name_comparison import NameComparison, NamePartComparison

__all__ = [
    "BirthDateComparison", "Comparison", "GenderComparison", "HouseholdComparison",
    "IdComparison", "NameComparison", "NamePartComparison", "OtherIdComparison", "compare",
    "default_comparisons",
]  # fmt: skip
CHUNK = 1 << 20


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
        present &= (status_l != ID_OTHER) & (status_r != ID_OTHER)
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
            texts_a, texts_b = frame.text("id", left[odd]), frame.text("id", right[odd])
            distance = cpdist(list(texts_a), list(texts_b), scorer=DamerauLevenshtein.distance)
            out[odd[distance <= 1]] = self.level("one_off")
        out[equal] = self.level("exact_unconfirmed")
        out[both_valid & ~equal] = self.level("different_valid")
        out[both_valid & equal] = self.level("exact")
        out[~present] = 0
        return out


@dataclass(frozen=True)
class OtherIdComparison(Comparison):
    """Identifiers that are no resident ID (a passport, another country's social
    security number), as opaque strings: exact, one edit apart (Damerau-Levenshtein: a
    wrong, missing, extra or transposed character), different. They are compared only
    with each other; a resident ID on the other side is no evidence either way."""

    name: str = "other_id"
    levels: tuple[str, ...] = ("null", "exact", "one_edit", "different")
    m_prior: tuple[float, ...] = (0.9, 0.05, 0.05)
    u_prior: tuple[float, ...] = (1e-6, 1e-5, 0.999989)

    def compare(self, frame: Frame, left: Index, right: Index) -> Levels:
        codes = frame.codes["other_id"]
        a, b = codes[left], codes[right]
        out = np.full(len(left), self.level("different"), dtype=np.int8)
        todo = np.flatnonzero((a >= 0) & (b >= 0) & (a != b))
        if len(todo):
            distance = cpdist(
                list(frame.text("other_id", left[todo])),
                list(frame.text("other_id", right[todo])),
                scorer=DamerauLevenshtein.distance,
                score_cutoff=2,
            )
            out[todo[distance <= 1]] = self.level("one_edit")
        out[(a == b) & (a >= 0)] = self.level("exact")
        out[(a < 0) | (b < 0)] = 0
        return out


@dataclass(frozen=True)
class BirthDateComparison(Comparison):
    """Birth dates: exact; one part wrong (day and month swapped, one digit wrong, or
    two neighbouring digits swapped); close (within ``close_days``, as a lunar and a
    solar birthday are); the same year; different.

    m of "different" is learnt, from a prior that expects it rarely: where birth dates
    are copied from ID cards a person's records almost never differ (EM finds about
    one in a million, which keeps a father and son of one name in one household
    apart), while registers keyed by hand replace or mistype a few percent of them.
    """

    name: str = "birth_date"
    levels: tuple[str, ...] = ("null", "exact", "one_part", "close", "year", "different")
    m_prior: tuple[float, ...] = (0.96, 0.02, 0.01, 0.005, 0.0001)
    u_prior: tuple[float, ...] = (4e-5, 1e-3, 4e-3, 1e-2, 0.985)
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


def default_comparisons() -> tuple[Comparison, ...]:
    return (
        IdComparison(),
        OtherIdComparison(),
        NameComparison(),
        NamePartComparison("given_name", tf_columns={1: "given"}, part="given"),
        NamePartComparison("surname", tf_columns={1: "surname"}, part="surname"),
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
