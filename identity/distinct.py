"""Stage 1 for a batch: every distinct value normalised once, straight into columns.

``normalize_record`` costs about 30 µs a record, half a minute for a million, while
every later stage is a few numpy passes. But values repeat: a household's address and
phone, a common name, a birth date, a source's handful of gender codes. So each field
is normalised per distinct raw value with the same field parsers ``normalize_record``
assembles, and records only look their values up. The result is the frame
``build_frame`` makes from normalised records, column for column (a test holds the
two equal), at a fraction of the cost.

Values that cannot be dictionary keys (a list from a JSON payload) are simply parsed
where they stand. Non-text values are cached by type and value, so that ``True`` and
``1`` (equal in Python) are not confused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np

from identity.addresses import parse_address
from identity.cleaning import is_placeholder, take_text
from identity.dates import parse_date
from identity.frame import (
    Column,
    Frame,
    Index,
    address_parts,
    effective_birth_and_gender,
    frame_from_columns,
    household_key,
    id_parts,
    name_parts,
)
from identity.gcpause import collector_paused
from identity.gender import Gender, parse_gender
from identity.idnumber import IdNumber, parse_id_number
from identity.names import parse_name
from identity.normalize import RawRecord
from identity.parallel import Normaliser, normalise_all
from identity.phones import parse_phone
from identity.record_table import RecordTable

_KEY_LIMIT = 128  # as normalize.py: keys are matched exactly


def normalised_frame(
    records: Sequence[RawRecord],
    today: date,
    report: Callable[[str, int, int], None] | None = None,
    workers: int | None = None,
) -> tuple[Frame, int]:
    """The frame of ``records`` and how many of them have an issue in some field; the
    values are parsed by ``workers`` processes (default: one a core, see
    ``identity.parallel``)."""
    with collector_paused():
        return _frame(records, today, report, workers)


def _frame(
    records: Sequence[RawRecord],
    today: date,
    report: Callable[[str, int, int], None] | None,
    workers: int | None,
) -> tuple[Frame, int]:
    parsers: dict[str, Normaliser] = {
        "name": _parsed(parse_name, name_parts),
        "id_number": _parsed(parse_id_number, _id_parts, today),
        "gender": _gender,
        "birth_date": _parsed(parse_date, _day, today),
        "phone": _parsed(parse_phone, _phone),
        "address": _parsed(parse_address, address_parts),
    }
    keys: dict[str, Normaliser] = {
        "source": _key_required, "source_id": _key_required, "household_key": _key,
    }  # fmt: skip
    distinct = {
        field: _distinct(records, field) for field in (*keys, *parsers) if field != "source_id"
    }
    distinct["source_id"] = _every(records, "source_id")  # all different: spare the dict
    parsed: dict[str, list[tuple[Any, bool]]] = {}

    def parse_keys() -> None:  # cheap: done here while the workers parse the rest
        for field, normalise in keys.items():
            parsed[field] = [normalise(raw) for raw in distinct[field][0]]

    def progress(done: int, total: int) -> None:
        if report is not None:
            report("normalise", done, total)

    jobs = {field: (parse, distinct[field][0]) for field, parse in parsers.items()}
    parsed |= normalise_all(jobs, workers, parse_keys, progress)
    index = {field: positions for field, (_, positions) in distinct.items()}
    entries = {field: [value for value, _ in values] for field, values in parsed.items()}
    issues = np.zeros(len(records), dtype=bool)
    for field, values in parsed.items():
        issues |= np.array([issue for _, issue in values], dtype=bool)[index[field]]
    columns: dict[str, Column] = {
        name: (entries[field], index[field]) for name, field in _SAME.items()
    }
    for field, names in _SPLIT.items():
        for position, name in enumerate(names):
            columns[name] = ([entry[position] for entry in entries[field]], index[field])
    width = len(_SPLIT["id_number"])
    number = np.array([entry[width:] for entry in entries["id_number"]], dtype=np.int64)
    number = number.reshape(-1, 3)[index["id_number"]]  # confirmed, birth, gender per record
    stated_birth = np.array(entries["birth_date"], dtype=np.int64)[index["birth_date"]]
    stated_gender = np.array(entries["gender"], dtype=np.int64)[index["gender"]]
    confirmed = number[:, 0] == 1
    birth = np.where((stated_birth < 0) & confirmed, number[:, 1], stated_birth)
    gender = np.where((stated_gender < 0) & confirmed, number[:, 2], stated_gender)
    issues |= confirmed & (
        ((stated_birth >= 0) & (stated_birth != number[:, 1]))
        | ((stated_gender >= 0) & (stated_gender != number[:, 2]))
    )
    columns["birth"], columns["gender"] = (birth, None), (gender, None)
    columns["household"] = _households(entries, index)
    return frame_from_columns(columns), int(issues.sum())


def _households(entries: dict[str, list[Any]], index: dict[str, Index]) -> Column:
    """The household column: a household number within its source, made once per
    distinct (source, number) pair, the pairs in order of their first record."""
    source, number = index["source"], index["household_key"]
    pair = source * (int(number.max(initial=0)) + 1) + number
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    order = np.argsort(first)
    rank[order] = np.arange(len(first))
    households = [
        household_key(entries["source"][source[at]], entries["household_key"][number[at]])
        for at in first[order].tolist()
    ]
    return households, rank[inverse]


_SAME = {"source": "source", "source_id": "source_id", "phone": "phone"}
_SPLIT = {
    "id_number": ("id_status", "id_value", "id17", "valid_id", "other_id"),
    "name": ("name", "pinyin", "surname", "given", "name_script"),
    "address": (
        "district", "street", "community", "block", "dwelling",
        "postcode", "locality", "road", "house", "premises",
    ),
}  # fmt: skip


def _distinct(records: Sequence[RawRecord], field: str) -> tuple[list[object], Index]:
    """The distinct raw values of one field, and each record's position among them."""
    if isinstance(records, RecordTable):
        return _distinct_text(records.column(field))
    positions: dict[object, int] = {}
    raws: list[object] = []
    found: list[int] = []
    for record in records:
        raw = getattr(record, field)
        key: object = raw if type(raw) is str else (type(raw), raw)
        try:
            at = positions.get(key)
        except TypeError:  # unhashable: parsed where it stands
            at, key = None, None
        if at is None:
            at = len(raws)
            raws.append(raw)
            if key is not None:
                positions[key] = at
        found.append(at)
    return raws, np.array(found, dtype=np.int64)


def _every(records: Sequence[RawRecord], field: str) -> tuple[list[object], Index]:
    """One field's values, each as its own entry, for a field whose values rarely repeat."""
    if isinstance(records, RecordTable):
        values: list[object] = list(records.column(field))  # "" is missing to the key parser
    else:
        values = [getattr(record, field) for record in records]
    return values, np.arange(len(values), dtype=np.int64)


def _distinct_text(column: Sequence[str]) -> tuple[list[object], Index]:
    """As ``_distinct`` for a column of text ("" missing): one dict pass, no type checks."""
    positions: dict[str, int] = {}
    index = [positions.setdefault(value, len(positions)) for value in column]
    return [value or None for value in positions], np.array(index, dtype=np.int64)


def _parsed(
    parse: Callable[..., tuple[Any, str | None]], shape: Callable[[Any], Any], *args: object
) -> Callable[[object], tuple[Any, bool]]:
    """As ``normalize._field``: missing stays missing, a parser's failure is an issue."""

    def normalise(raw: object) -> tuple[Any, bool]:
        if raw is None:
            return shape(None), False
        try:
            parsed, reason = parse(raw, *args)
        except Exception:  # a parser bug costs one field, as in normalize_record
            return shape(None), True
        return shape(parsed), reason is not None

    return normalise


def _key(raw: object, required: bool = False) -> tuple[str, bool]:
    """As ``normalize._key``: an integer is as good as its digits. Plain ASCII letters and
    digits (nearly every key) need no folding, only the placeholder check."""
    if type(raw) is str and raw.isascii() and raw.isalnum() and len(raw) <= _KEY_LIMIT:
        return ("", True) if is_placeholder(raw) else (raw, False)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw), False
    text, reason = take_text(raw, _KEY_LIMIT)
    return text or "", reason is not None or (required and text is None)


def _key_required(raw: object) -> tuple[str, bool]:
    return _key(raw, required=True)


def _gender(raw: object) -> tuple[int, bool]:
    """The gender code; an unknown gender is no issue, an unknown code is."""
    gender, issue = _parsed(parse_gender, _same)(raw)
    return effective_birth_and_gender(None, gender or Gender.UNKNOWN, None)[1], issue


def _same(value: Any) -> Any:
    return value


def _id_parts(number: IdNumber | None) -> tuple[Any, ...]:
    """The frame's ID columns; then whether the number confirms a birth date and gender
    (valid or legacy), and those as codes."""
    if number is None or not number.readable:
        return (*id_parts(number), 0, -1, -1)
    born, gender = effective_birth_and_gender(None, Gender.UNKNOWN, number)
    return (*id_parts(number), 1, born, gender)


def _day(born: date | None) -> int:
    return effective_birth_and_gender(born, Gender.UNKNOWN, None)[0]


def _phone(phone: Any) -> str | None:
    return phone.number if phone is not None else None
