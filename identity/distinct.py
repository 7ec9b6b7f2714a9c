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
from identity.cleaning import take_text
from identity.dates import parse_date
from identity.frame import (
    Column,
    Frame,
    Index,
    address_parts,
    effective_birth_and_gender,
    expand,
    frame_from_columns,
    household_key,
    id_parts,
    name_parts,
)
from identity.gender import Gender, parse_gender
from identity.idnumber import IdNumber, IdStatus, parse_id_number
from identity.names import parse_name
from identity.normalize import RawRecord
from identity.phones import parse_phone

_KEY_LIMIT = 128  # as normalize.py: keys are matched exactly
Normaliser = Callable[[object], tuple[Any, bool]]


def normalised_frame(
    records: Sequence[RawRecord],
    today: date,
    report: Callable[[str, int, int], None] | None = None,
) -> tuple[Frame, int]:
    """The frame of ``records`` and how many of them have an issue in some field."""
    fields: dict[str, Normaliser] = {
        "source": _key_required,
        "source_id": _key_required,
        "household_key": _key,
        "name": _parsed(parse_name, name_parts),
        "id_number": _parsed(parse_id_number, _id_parts, today),
        "gender": _gender,
        "birth_date": _parsed(parse_date, _day, today),
        "phone": _parsed(parse_phone, _phone),
        "address": _parsed(parse_address, address_parts),
    }
    entries: dict[str, list[Any]] = {}
    index: dict[str, Index] = {}
    issues = np.zeros(len(records), dtype=bool)
    for done, (field, normalise) in enumerate(fields.items(), start=1):
        raws, index[field] = _distinct(records, field)
        parsed = [normalise(raw) for raw in raws]
        entries[field] = [value for value, _ in parsed]
        issues |= np.array([issue for _, issue in parsed], dtype=bool)[index[field]]
        if report:
            report("normalise", done, len(fields))
    columns: dict[str, Column] = {
        name: (entries[field], index[field]) for name, field in _SAME.items()
    }
    for field, names in _SPLIT.items():
        for position, name in enumerate(names):
            columns[name] = ([entry[position] for entry in entries[field]], index[field])
    number = np.array([entry[4:] for entry in entries["id_number"]], dtype=np.int64)
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
    sources = expand(entries["source"], index["source"])
    keys = expand(entries["household_key"], index["household_key"])
    households = [household_key(s, k) for s, k in zip(sources, keys, strict=True)]
    columns["household"] = (households, None)
    return frame_from_columns(columns), int(issues.sum())


_SAME = {"source": "source", "source_id": "source_id", "phone": "phone"}
_SPLIT = {
    "id_number": ("id_status", "id_value", "id17", "valid_id"),
    "name": ("name", "pinyin", "surname", "given"),
    "address": ("district", "street", "community", "block", "dwelling"),
}


def _distinct(records: Sequence[RawRecord], field: str) -> tuple[list[object], Index]:
    """The distinct raw values of one field, and each record's position among them."""
    positions: dict[object, int] = {}
    raws: list[object] = []
    index: list[int] = []
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
        index.append(at)
    return raws, np.array(index, dtype=np.int64)


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
    """As ``normalize._key``: an integer is as good as its digits."""
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
    if number is None or number.status is IdStatus.INVALID:
        return (*id_parts(number), 0, -1, -1)
    born, gender = effective_birth_and_gender(None, Gender.UNKNOWN, number)
    return (*id_parts(number), 1, born, gender)


def _day(born: date | None) -> int:
    return effective_birth_and_gender(born, Gender.UNKNOWN, None)[0]


def _phone(phone: Any) -> str | None:
    return phone.number if phone is not None else None
