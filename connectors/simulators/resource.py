"""One served collection (persons, households …): its records in serving order.

Records are ordered by primary key, or by (update time, primary key) where the API orders
by update time. The time texts are fixed width with one zone, so text order is time order.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from typing import Any

from connectors.simulators.records import Record

SortKey = Any  # str (primary key) or tuple[str, str] (update time, primary key)


class Resource:
    def __init__(
        self,
        name: str,
        primary_key: str,
        time_field: str,
        format_time: Callable[[int], str],
        records: Iterable[Record],
        by_time: bool = False,
    ) -> None:
        self.name = name
        self.primary_key = primary_key
        self.time_field = time_field
        self.by_time = by_time
        self._format_time = format_time
        self.records: dict[str, Record] = {str(r[primary_key]): dict(r) for r in records}
        self._order: list[SortKey] = sorted(self._sort_key(r) for r in self.records.values())

    def _sort_key(self, record: Record) -> SortKey:
        key = str(record[self.primary_key])
        return (str(record[self.time_field]), key) if self.by_time else key

    def _key_of(self, sort_key: SortKey) -> str:
        return str(sort_key[1]) if self.by_time else str(sort_key)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, key: str) -> bool:
        return key in self.records

    def ordered_keys(self) -> list[str]:
        """Primary keys in serving order."""
        return [self._key_of(sort_key) for sort_key in self._order]

    def slice(self, start: int, stop: int) -> list[str]:
        return [self._key_of(sort_key) for sort_key in self._order[start:stop]]

    def after(
        self, cursor: tuple[str, str] | None, since: str | None, limit: int
    ) -> tuple[list[str], bool]:
        """Up to ``limit`` keys after the (time, key) cursor with time >= ``since``, and
        whether more follow. Only for resources ordered by time."""
        start = 0
        if since is not None:
            start = bisect_left(self._order, (since, ""))
        if cursor is not None:
            start = max(start, bisect_right(self._order, cursor))
        stop = start + limit
        return self.slice(start, stop), stop < len(self._order)

    def position_key(self, key: str) -> tuple[str, str]:
        """The (time, key) a cursor remembers for a record."""
        return (str(self.records[key][self.time_field]), key)

    def random_key(self, rng: random.Random) -> str:
        return self._key_of(self._order[rng.randrange(len(self._order))])

    def add(self, record: Record) -> None:
        key = str(record[self.primary_key])
        if key in self.records:
            raise KeyError(f"{self.name} {key} exists already")
        self.records[key] = record
        insort(self._order, self._sort_key(record))

    def remove(self, key: str) -> Record:
        record = self.records.pop(key)
        index = bisect_left(self._order, self._sort_key(record))
        del self._order[index]
        return record

    def touch(self, key: str, epoch: int) -> None:
        """Stamp the record's update time (after its content changed), keeping the order."""
        record = self.remove(key)
        record[self.time_field] = self._format_time(epoch)
        self.add(record)
