"""Normalised records as columns: the one shape blocking, comparing and scoring work on.

Every value that is matched exactly becomes an integer code (equal values, equal
codes; ``-1`` for missing), so that the later stages compare millions of pairs with a
few numpy operations instead of millions of Python calls. The values compared fuzzily
(pinyin, odd-length ID numbers, Latin name parts and address lines) are kept once per
distinct value (``vocabulary``) and looked up per pair with ``Frame.text``. What each
column holds is decided in ``identity.columns``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from identity.columns import (
    CHINESE,
    ID_INVALID,
    ID_LEGACY,
    ID_MISSING,
    ID_OTHER,
    ID_VALID,
    LATIN,
    Row,
    address_parts,
    effective_birth_and_gender,
    household_key,
    id_parts,
    name_parts,
    record_row,
)
from identity.normalize import NormalizedRecord

__all__ = [  # the shaping functions stay importable from here, beside the frame they feed
    "CHINESE", "ID_INVALID", "ID_LEGACY", "ID_MISSING", "ID_OTHER", "ID_VALID", "LATIN",
    "Codes", "Column", "Frame", "Index", "Row", "address_parts", "build_frame",
    "effective_birth_and_gender", "expand", "frame_from_columns", "household_key",
    "id_parts", "name_parts", "record_row",
]  # fmt: skip

Codes = NDArray[np.int64]
Index = NDArray[np.int64]
Column = tuple[Sequence[Any] | NDArray[Any], Index | None]  # see frame_from_columns


@dataclass(frozen=True, eq=False)
class Frame:
    """Columns of ``size`` records; ``codes[column][i]`` is record i's code or -1."""

    size: int
    keys: list[tuple[str, str]]  # (source, source_id) per record
    codes: dict[str, Codes]  # see frame_from_columns for the columns
    id_status: NDArray[np.int8]  # ID_MISSING, ID_VALID, ID_LEGACY, ID_INVALID or ID_OTHER
    id_digits: NDArray[np.int8]  # (size, 17): the 17 leading digits (legacy upgraded)
    birth_digits: NDArray[np.int8]  # (size, 8): YYYYMMDD
    vocabulary: dict[str, NDArray[np.object_]]  # TEXTS: the value of each code, then None
    _shares: dict[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)
    tables: dict[Hashable, NDArray[Any]] = field(default_factory=dict, repr=False)  # see
    # identity.comparison.pair_scores: scores of every pair of two columns' values

    def column(self, name: str) -> Codes:
        try:
            return self.codes[name]
        except KeyError:
            raise KeyError(f"no column {name!r} (columns: {', '.join(self.codes)})") from None

    def text(self, name: str, rows: Index) -> NDArray[np.object_]:
        """The values of the text column ``name`` (one of ``TEXTS``) of ``rows``; None where
        missing (code -1 picks the vocabulary's last entry, None)."""
        values: NDArray[np.object_] = self.vocabulary[name][self.column(name)[rows]]
        return values

    def frequencies(self, name: str) -> NDArray[np.float64]:
        """Share of the records with a value that hold each code (term frequencies)."""
        if name not in self._shares:
            codes = self.column(name)
            present = codes[codes >= 0]
            counts = np.bincount(present, minlength=int(codes.max(initial=-1)) + 1)
            self._shares[name] = counts / max(len(present), 1)
        return self._shares[name]


def build_frame(records: Sequence[NormalizedRecord]) -> Frame:
    """Encode normalised records as columns, in order."""
    rows = [record_row(record) for record in records]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in Row._fields]
    return frame_from_columns(
        {name: (column, None) for name, column in zip(Row._fields, columns, strict=True)}
    )


def frame_from_columns(columns: Mapping[str, Column]) -> Frame:
    """The frame of columns named as ``Row``'s fields (``has_issues`` aside).

    A column is (values, index): the values of distinct entries and, per record, the
    entry it holds; or (values, None), a value per record. Every exactly-matched value
    becomes an integer code, numbered in order of first appearance either way.
    """

    vocabulary: dict[str, NDArray[np.object_]] = {}

    def codes_of(
        name: str, derive: Callable[[str], str] | None = None, text: str | None = None
    ) -> Codes:
        values, index = columns[name]
        if derive is not None:
            values = [derive(value) if value else None for value in values]
        coded, distinct = _encode(values)
        if text is not None:
            vocabulary[text] = _objects([*distinct, None])
        return coded if index is None else coded[index]

    def per_record(name: str, dtype: Any) -> NDArray[Any]:
        values, index = columns[name]
        array = np.array(values, dtype=dtype)
        return array if index is None else array[index]

    codes = {name: codes_of(name, text=name if name in TEXTS else None) for name in _DIRECT}
    codes["id"] = codes_of("id_value", text="id")
    codes["id17"] = codes_of("id17")
    codes["id_prefix"] = codes_of("id17", lambda value: value[:14])
    codes["id_suffix"] = codes_of("id17", lambda value: value[6:])
    codes["name_script"] = per_record("name_script", np.int64)
    codes["address_script"] = _script(codes, _LATIN_ADDRESS, _CHINESE_ADDRESS)
    birth = per_record("birth", np.int64)
    codes["birth"] = birth
    codes["birth_year"] = np.where(birth >= 0, birth // 10_000, -1)
    codes["birth_day"] = _day_numbers(birth)
    codes["gender"] = per_record("gender", np.int64)
    id17, id_index = columns["id17"]
    digits = b"".join(value.encode() if value else b"0" * 17 for value in id17)
    id_digits = (np.frombuffer(digits, dtype=np.uint8).reshape(-1, 17) - ord("0")).astype(np.int8)
    sources, source_index = columns["source"]
    source_ids, source_id_index = columns["source_id"]
    return Frame(
        size=len(birth),
        keys=list(
            zip(expand(sources, source_index), expand(source_ids, source_id_index), strict=True)
        ),
        codes=codes,
        id_status=per_record("id_status", np.int8),
        id_digits=id_digits if id_index is None else id_digits[id_index],
        birth_digits=((birth[:, None] // 10 ** np.arange(7, -1, -1)) % 10).astype(np.int8),
        vocabulary=vocabulary,
    )


def expand(values: Sequence[Any] | NDArray[Any], index: Index | None) -> list[Any]:
    """A value per record from a column."""
    return list(values) if index is None else list(map(values.__getitem__, index.tolist()))


_DIRECT = (
    "source", "valid_id", "other_id", "name", "pinyin", "surname", "given", "phone",
    "district", "street", "community", "block", "dwelling", "postcode", "locality", "road",
    "house", "premises", "household",
)  # fmt: skip
TEXTS = (
    "id", "other_id", "pinyin", "surname", "given", "postcode", "locality", "road", "premises",
)  # fmt: skip


_LATIN_ADDRESS = ("postcode", "locality", "road", "house", "premises")
_CHINESE_ADDRESS = ("district", "street", "community", "block", "dwelling")


def _script(codes: Mapping[str, Codes], latin: Sequence[str], chinese: Sequence[str]) -> Codes:
    """LATIN where any of the ``latin`` columns holds a value, else CHINESE where any of
    the ``chinese`` ones does, else -1."""
    script = np.full(len(codes[latin[0]]), -1, dtype=np.int64)
    for columns, code in ((chinese, CHINESE), (latin, LATIN)):
        for column in columns:
            script[codes[column] >= 0] = code
    return script


def _encode(values: Sequence[Any] | NDArray[Any]) -> tuple[Codes, list[Any]]:
    """Codes in order of first appearance (-1 for missing: None or ""), and the value of
    each code."""
    coder: dict[str, int] = {}
    codes = [coder.setdefault(value, len(coder)) if value else -1 for value in values]
    return np.array(codes, dtype=np.int64), list(coder)


def _day_numbers(birth: Codes) -> Codes:
    """Days since 1970 of YYYYMMDD dates (missing dates: -1, never compared)."""
    known = np.where(birth >= 0, birth, 19700101)
    months = (known // 10_000 - 1970) * 12 + (known // 100) % 100 - 1
    days = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return np.where(birth >= 0, days + known % 100 - 1, -1)


def _objects(items: list[str | None]) -> NDArray[np.object_]:
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array
