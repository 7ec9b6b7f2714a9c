"""The records an incremental matcher searches, with a hash index per blocking rule, so
that one new record finds its candidates without a batch run.

The existing records are framed once, by the batch's own ``normalised_frame`` (or the
frame a resolution already made of them is reused). A new
record must then meet them on the codes that frame gives, but codes are numbers valid
within one frame and the frame keeps no values. So, for each column a lookup needs,
the index learns the value behind each code: the field the column comes from is parsed
once per distinct raw value (as normalisation does) and the column's value is taken
from it as ``frame.py`` shapes it. Every value must land on exactly one of the frame's
codes and every code on one value; if ``frame.py`` ever shapes a column differently,
building the index fails, naming the column, rather than matching on wrong codes.

Numeric columns (birth date, year, day, gender) are coded by their values and need no
lookup. Each rule's records are sorted by a 64-bit mix of their key codes, with the
start of each key's block: a lookup is one ``searchsorted`` and a check of the codes, so
that a collision of the mix costs nothing but that check. Records added later go to a
dict per rule, and values no existing record holds get fresh codes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from identity.addresses import parse_address
from identity.block import BlockingRule, rule_key
from identity.distinct import normalised_frame
from identity.frame import (
    Codes,
    Frame,
    Index,
    Row,
    address_parts,
    build_frame,
    id_parts,
    name_parts,
    record_row,
)
from identity.idnumber import parse_id_number
from identity.names import parse_name
from identity.normalize import NormalizedRecord, RawRecord, normalize_record
from identity.phones import parse_phone

Parse = Callable[[object, date], tuple[Any, str | None]]
# Columns coded by their values, as frame_from_columns derives them from a Row
NUMBERS: dict[str, Callable[[Row], int]] = {
    "birth": attrgetter("birth"),
    "birth_year": lambda row: row.birth // 10_000 if row.birth >= 0 else -1,
    "gender": attrgetter("gender"),
    "name_script": attrgetter("name_script"),
}
_MIX = 0x9E3779B97F4A7C15
# Per field of a normalised record: its parser, how frame.py shapes its value, and the
# columns coded from the parts of that shape, in order (None: a part coded otherwise).
_FIELDS: dict[str, tuple[Parse, Callable[[Any], tuple[Any, ...]], tuple[str | None, ...]]] = {
    "id_number": (parse_id_number, id_parts, (None, "id", "id17", "valid_id", "other_id")),
    "name": (
        lambda raw, today: parse_name(raw), name_parts, ("name", "pinyin", "surname", "given"),
    ),
    "phone": (
        lambda raw, today: parse_phone(raw), lambda phone: (phone and phone.number,), ("phone",),
    ),
    "address": (lambda raw, today: parse_address(raw), address_parts, (
        "district", "street", "community", "block", "dwelling",
        "postcode", "locality", "road", "house", "premises",
    )),
}  # fmt: skip
_DERIVED = {"id_prefix": ("id17", slice(0, 14)), "id_suffix": ("id17", slice(6, None))}
# Column -> (field, position in its shape, the slice frame_from_columns derives it by)
LOOKUPS: dict[str, tuple[str, int, slice | None]] = {
    name: (field, position, None)
    for field, (_, _, names) in _FIELDS.items()
    for position, name in enumerate(names)
    if name is not None
}
LOOKUPS |= {name: (*LOOKUPS[source][:2], cut) for name, (source, cut) in _DERIVED.items()}


@dataclass(frozen=True, eq=False)
class NewRecord:
    """One record normalised on its own, and the codes the existing records hold for its
    values in the index's columns (-1: none holds it)."""

    normalised: NormalizedRecord
    codes: dict[str, int]


class RecordIndex:
    """The existing records (numbered 0…size-1 as given, then those added) by rule key.

    ``columns`` names the columns whose codes callers ask for besides the rules' (term
    frequencies, say); ``codes`` gives them for any record, added ones included.
    ``frame``, if given, is the batch's frame of exactly these records. ``seconds`` holds
    the time building took: normalising (unless given the frame), lookups, blocks."""

    def __init__(
        self,
        records: Sequence[RawRecord],
        rules: Sequence[BlockingRule],
        today: date,
        columns: Iterable[str] = (),
        frame: Frame | None = None,
    ) -> None:
        if frame is not None and frame.size != len(records):
            raise ValueError(f"a frame of {frame.size} records for {len(records)} records")
        mark = time.perf_counter()

        def lap() -> float:
            nonlocal mark
            now = time.perf_counter()
            elapsed, mark = now - mark, now
            return elapsed

        self.records = list(records)
        self.today = today
        self.frame = normalised_frame(self.records, today)[0] if frame is None else frame
        self.seconds = {"normalise": lap()} if frame is None else {}
        self.size = self.frame.size
        self.keys = list(self.frame.keys)
        self.rules = tuple(rules)
        wanted = [*(name for rule in rules for name in rule.columns), *columns]
        self.columns = tuple(dict.fromkeys(wanted))
        unknown = [name for name in self.columns if name not in LOOKUPS and name not in NUMBERS]
        if unknown:
            raise ValueError(f"incremental matching cannot look up columns {unknown}")
        self._coders = _coders(self.records, self.frame, self.columns, today)
        self._next = {
            name: int(self.frame.column(name).max(initial=-1)) + 1 for name in self._coders
        }
        self._added: dict[str, list[int]] = {name: [] for name in self.columns}
        self.seconds["lookups"] = lap()
        self._blocks = [_Blocks(self.frame, rule) for rule in self.rules]
        self._later: list[dict[tuple[int, ...], list[int]]] = [{} for _ in self.rules]
        self.seconds["blocks"] = lap()

    def __len__(self) -> int:
        return len(self.records)

    def normalise(self, record: RawRecord) -> NewRecord:
        """``record`` normalised, with the codes of its values in the index's columns."""
        normalised = normalize_record(record, self.today)
        row = record_row(normalised)
        codes = {}
        for name in self.columns:
            if name in NUMBERS:
                codes[name] = NUMBERS[name](row)
            else:
                value = _value(normalised, name)
                codes[name] = -1 if value is None else self._coders[name].get(value, -1)
        return NewRecord(normalised, codes)

    def codes(self, name: str, rows: Index) -> Codes:
        """The codes of records ``rows`` in column ``name`` (one of ``columns``)."""
        codes = np.empty(len(rows), dtype=np.int64)
        known = rows < self.size
        codes[known] = self.frame.codes[name][rows[known]]
        codes[~known] = [self._added[name][row - self.size] for row in rows[~known].tolist()]
        return codes

    def candidates(self, new: NewRecord, max_block_size: int) -> Index:
        """Records sharing a key with ``new`` under some rule, in blocks that would stay
        within ``max_block_size`` with it (the batch skips larger blocks), in order."""
        found: list[Index] = []
        for rule, blocks, later in zip(self.rules, self._blocks, self._later, strict=True):
            key = tuple(new.codes[name] for name in rule.columns)
            if min(key) < 0:
                continue
            members, added = blocks.get(key), later.get(key, [])
            if len(members) + len(added) + 1 <= max_block_size:
                found += [members, np.array(added, dtype=np.int64)]
        return np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)

    def frame_of(self, rows: Index, new: NewRecord) -> Frame:
        """The frame of records ``rows`` and then the new record, by ``build_frame``."""
        normalised = [normalize_record(self.records[row], self.today) for row in rows.tolist()]
        return build_frame([*normalised, new.normalised])

    def add(self, record: RawRecord, new: NewRecord) -> int:
        """Index ``record`` (normalised as ``new``); its number."""
        number = len(self.records)
        for name, codes in self._added.items():
            code = new.codes[name]
            value = None if name in NUMBERS else _value(new.normalised, name)
            if code < 0 and value is not None:  # a value no record held: a fresh code
                code = self._coders[name][value] = self._next[name]
                self._next[name] += 1
            codes.append(code)
        for rule, later in zip(self.rules, self._later, strict=True):
            key = tuple(self._added[name][-1] for name in rule.columns)
            if min(key) >= 0:
                later.setdefault(key, []).append(number)
        self.records.append(record)
        self.keys.append((new.normalised.source, new.normalised.source_id))
        return number


class _Blocks:
    """One rule's existing records, sorted by key, with a block per key."""

    def __init__(self, frame: Frame, rule: BlockingRule) -> None:
        self.columns = [frame.column(name) for name in rule.columns]
        key = rule_key(frame, rule)
        present = np.flatnonzero(key >= 0)
        mixed = _mix([column[present] for column in self.columns])
        order = np.lexsort((key[present], mixed))
        self.order = present[order]
        starts = np.flatnonzero(np.r_[True, np.diff(key[self.order]) != 0]) if len(order) else order
        self.bounds = np.r_[starts, len(order)]
        self.mixed = mixed[order][starts]

    def get(self, key: tuple[int, ...]) -> Index:
        """The records holding ``key``."""
        wanted = 0
        for code in key:  # _mix, on one key
            wanted = (wanted * _MIX + code) % 2**64
        low = self.mixed.searchsorted(np.uint64(wanted), side="left")
        high = self.mixed.searchsorted(np.uint64(wanted), side="right")
        for block in range(int(low), int(high)):
            first = self.order[self.bounds[block]]
            if [int(column[first]) for column in self.columns] == list(key):
                return self.order[self.bounds[block] : self.bounds[block + 1]]
        return np.empty(0, np.int64)


def _mix(columns: Sequence[Codes]) -> NDArray[np.uint64]:
    """A 64-bit mix of key codes, equal for equal keys (unsigned arithmetic wraps)."""
    mixed = np.zeros(len(columns[0]), dtype=np.uint64)
    for column in columns:
        mixed = mixed * np.uint64(_MIX) + column.astype(np.uint64)
    return mixed


def _value(record: NormalizedRecord, name: str) -> Any:
    field, position, cut = LOOKUPS[name]
    return _part(_FIELDS[field][1](getattr(record, field))[position], cut)


def _part(value: Any, cut: slice | None) -> Any:
    return (value[cut] if cut is not None and value else value) or None


def _coders(
    records: Sequence[RawRecord], frame: Frame, columns: Sequence[str], today: date
) -> dict[str, dict[Any, int]]:
    """Per column, value -> the frame's code, each field parsed once per distinct value."""
    coders: dict[str, dict[Any, int]] = {}
    for field in dict.fromkeys(LOOKUPS[name][0] for name in columns if name in LOOKUPS):
        holder = _distinct(records, field)
        parse, shape, _ = _FIELDS[field]
        read = attrgetter(field)
        shaped = [shape(_parsed(parse, read(records[row]), today)) for row in holder.tolist()]
        for name in columns:
            if name in LOOKUPS and LOOKUPS[name][0] == field:
                _, position, cut = LOOKUPS[name]
                values = [_part(part, cut) for part in map(itemgetter(position), shaped)]
                coders[name] = _coder(name, values, frame.column(name)[holder])
    return coders


def _coder(name: str, values: list[Any], codes: Codes) -> dict[Any, int]:
    """Value -> code, checking that the two correspond one to one."""
    present = codes >= 0
    known = list(compress(values, present))
    coder = dict(zip(known, codes[present].tolist(), strict=True))
    if (
        any(compress(values, ~present))
        or None in coder
        or len(coder) != len(np.unique(codes[present]))
        or not np.array_equal([coder[value] for value in known], codes[present])
    ):
        raise ValueError(f"column {name!r}: the values found do not match the frame's codes")
    return coder


def _distinct(records: Sequence[RawRecord], field: str) -> Index:
    """One record per distinct raw value of a field (told apart by type and value:
    ``True`` is not ``1``); each unhashable value counts as distinct."""
    first: dict[object, int] = {}
    loose: list[int] = []
    for number, raw in enumerate(map(attrgetter(field), records)):
        try:
            first.setdefault(raw if type(raw) is str else (type(raw), raw), number)
        except TypeError:
            loose.append(number)
    return np.array([*first.values(), *loose], dtype=np.int64)


def _parsed(parse: Parse, raw: object, today: date) -> Any:
    """As normalize_record: missing stays missing, and a parser's bug costs the field."""
    if raw is None:
        return None
    try:
        return parse(raw, today)[0]
    except Exception:
        return None
