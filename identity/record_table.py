"""Raw records column by column: what a CSV file holds, without an object per record.

A million ``RawRecord`` objects take seconds to build, only for normalisation to take
them apart again field by field (``identity.distinct`` wants each field's values
together, to parse each distinct value once). ``RecordTable`` keeps the columns as they
were read and is still a ``Sequence[RawRecord]``: indexing or iterating it builds the
records on demand, so whatever takes records works on it unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields
from typing import overload

from identity.normalize import RawRecord

FIELDS = tuple(field.name for field in fields(RawRecord))


class RecordTable(Sequence[RawRecord]):
    """Records as columns of text, one per ``RawRecord`` field; "" is a missing value."""

    __slots__ = ("_columns", "_size")

    def __init__(self, columns: Mapping[str, Sequence[str]]) -> None:
        sizes = {len(columns[field]) for field in FIELDS}
        if len(sizes) != 1:
            raise ValueError(f"columns of different lengths: {sorted(sizes)}")
        self._columns = {field: columns[field] for field in FIELDS}
        self._size = sizes.pop()

    def column(self, field: str) -> Sequence[str]:
        """One field's values in record order ("" where missing)."""
        return self._columns[field]

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> RawRecord: ...

    @overload
    def __getitem__(self, index: slice) -> RecordTable: ...

    def __getitem__(self, index: int | slice) -> RawRecord | RecordTable:
        if isinstance(index, slice):
            return RecordTable({field: values[index] for field, values in self._columns.items()})
        return RawRecord(*(values[index] or None for values in self._columns.values()))

    def __iter__(self) -> Iterator[RawRecord]:
        for row in zip(*self._columns.values(), strict=True):
            yield RawRecord(*(value or None for value in row))
