"""Normalised records as columns: the one shape blocking, comparing and scoring work on.

Every value that is matched exactly becomes an integer code (equal values, equal
codes; ``-1`` for missing), so that the later stages compare millions of pairs with a
few numpy operations instead of millions of Python calls. The few values compared
fuzzily (pinyin, odd-length ID numbers) are kept as text beside the codes.

Two choices made here shape what later stages see:

- birth date and gender are the record's own when it states them and otherwise the
  ones its ID number encodes (valid or legacy numbers only: an invalid number's date
  may be the typo);
- an address is reduced to codes at four depths (district, street, community, and
  within the community the block and the dwelling), so that a household comparison
  can ask "same room? same building? same community?" as one hierarchical question.
  Parts a platform leaves out (民政 writes no district, 卫健 no street) are missing,
  never different.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from identity.addresses import Address
from identity.gender import Gender
from identity.idnumber import IdNumber, IdStatus
from identity.names import Name
from identity.normalize import NormalizedRecord

Codes = NDArray[np.int64]
Index = NDArray[np.int64]
Column = tuple[Sequence[Any] | NDArray[Any], Index | None]  # see frame_from_columns
AddressParts = tuple[str | None, str | None, str | None, str | None, str | None]
ID_MISSING, ID_VALID, ID_LEGACY, ID_INVALID = 0, 1, 2, 3
_STATUS = {IdStatus.VALID: ID_VALID, IdStatus.LEGACY: ID_LEGACY, IdStatus.INVALID: ID_INVALID}
_GENDER = {Gender.MALE: 0, Gender.FEMALE: 1}


@dataclass(frozen=True, eq=False)
class Frame:
    """Columns of ``size`` records; ``codes[column][i]`` is record i's code or -1."""

    size: int
    keys: list[tuple[str, str]]  # (source, source_id) per record
    codes: dict[str, Codes]  # see frame_from_columns for the columns
    id_status: NDArray[np.int8]  # ID_MISSING, ID_VALID, ID_LEGACY or ID_INVALID
    id_digits: NDArray[np.int8]  # (size, 17): the 17 leading digits (legacy upgraded)
    birth_digits: NDArray[np.int8]  # (size, 8): YYYYMMDD
    id_text: NDArray[np.object_]  # the cleaned ID number, or None
    pinyin_text: NDArray[np.object_]  # "wang wei", or None
    _shares: dict[str, NDArray[np.float64]] = field(default_factory=dict, repr=False)

    def column(self, name: str) -> Codes:
        try:
            return self.codes[name]
        except KeyError:
            raise KeyError(f"no column {name!r} (columns: {', '.join(self.codes)})") from None

    def frequencies(self, name: str) -> NDArray[np.float64]:
        """Share of the records with a value that hold each code (term frequencies)."""
        if name not in self._shares:
            codes = self.column(name)
            present = codes[codes >= 0]
            counts = np.bincount(present, minlength=int(codes.max(initial=-1)) + 1)
            self._shares[name] = counts / max(len(present), 1)
        return self._shares[name]


class Row(NamedTuple):
    """What the frame keeps of one normalised record: plain values."""

    source: str
    source_id: str
    id_status: int
    id_value: str | None
    id17: str | None  # 17 leading digits, a 15-digit form with its "19" inserted
    valid_id: str | None
    name: str | None
    pinyin: str | None
    surname: str | None
    given: str | None
    birth: int  # YYYYMMDD or -1
    gender: int  # 0 male, 1 female, -1 unknown
    phone: str | None
    district: str | None
    street: str | None
    community: str | None
    block: str | None
    dwelling: str | None
    household: str | None
    has_issues: bool


def record_row(record: NormalizedRecord) -> Row:
    """The row of one normalised record (the effective birth date and gender chosen)."""
    number = record.id_number
    birth, gender = effective_birth_and_gender(record.birth_date, record.gender, number)
    return Row(
        record.source,
        record.source_id,
        *id_parts(number),
        *name_parts(record.name),
        birth,
        gender,
        record.phone.number if record.phone else None,
        *address_parts(record.address),
        household_key(record.source, record.household_key),
        bool(record.issues),
    )


def id_parts(number: IdNumber | None) -> tuple[int, str | None, str | None, str | None]:
    """(status, value, 17 leading digits, value if valid) of an ID number."""
    if number is None:
        return ID_MISSING, None, None, None
    status = _STATUS[number.status]
    return status, number.value, _leading17(number.value), number.value if number.valid else None


def name_parts(name: Name | None) -> tuple[str | None, str | None, str | None, str | None]:
    """(text, pinyin, surname pinyin, given-name pinyin) of a name."""
    if name is None:
        return None, None, None, None
    return name.text, name.pinyin, name.surname_pinyin or None, name.given_pinyin or None


def effective_birth_and_gender(
    born: date | None, gender: Gender, number: IdNumber | None
) -> tuple[int, int]:
    """The record's own birth date (YYYYMMDD) and gender code, else its ID number's."""
    if number is not None and number.status is not IdStatus.INVALID:
        born = born or number.birth_date
        if gender is Gender.UNKNOWN and number.gender is not None:
            gender = number.gender
    day = born.year * 10_000 + born.month * 100 + born.day if born else -1
    return day, _GENDER.get(gender, -1)


def household_key(source: str, key: str | None) -> str | None:
    """Household numbers are compared within their source only."""
    return f"{source}\x1f{key}" if key else None


def address_parts(address: Address | None) -> AddressParts:
    """District, street, community; then block and dwelling inside the community."""
    if address is None:
        return None, None, None, None, None
    local = address.key.rpartition("|")[2]
    community = address.community
    if community is None:  # outside the known structure: only the whole address counts
        return address.district, address.street, None, None, address.key if local else None
    parts = (address.place, address.group, address.building)
    block = f"{community}|{'|'.join(part or '' for part in parts)}" if any(parts) else None
    # a dwelling needs its door: "板桥村3组" names a village group, shared by hundreds
    dwelling = f"{community}|{local}" if address.house or address.room else None
    return address.district, address.street, community, block, dwelling


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

    def codes_of(name: str, derive: Callable[[str], str] | None = None) -> Codes:
        values, index = columns[name]
        if derive is not None:
            values = [derive(value) if value else None for value in values]
        coded = _encode(values)
        return coded if index is None else coded[index]

    def per_record(name: str, dtype: Any) -> NDArray[Any]:
        values, index = columns[name]
        array = np.array(values, dtype=dtype) if dtype is not object else _objects(list(values))
        return array if index is None else array[index]

    codes = {name: codes_of(name) for name in _DIRECT}
    codes["id"] = codes_of("id_value")
    codes["id17"] = codes_of("id17")
    codes["id_prefix"] = codes_of("id17", lambda value: value[:14])
    codes["id_suffix"] = codes_of("id17", lambda value: value[6:])
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
        id_text=per_record("id_value", object),
        pinyin_text=per_record("pinyin", object),
    )


def expand(values: Sequence[Any] | NDArray[Any], index: Index | None) -> list[Any]:
    """A value per record from a column."""
    return list(values) if index is None else [values[at] for at in index.tolist()]


_DIRECT = (
    "source", "valid_id", "name", "pinyin", "surname", "given", "phone", "district",
    "street", "community", "block", "dwelling", "household",
)  # fmt: skip


def _encode(values: Sequence[Any] | NDArray[Any]) -> Codes:
    coder: dict[str, int] = {}
    return np.array(
        [coder.setdefault(value, len(coder)) if value else -1 for value in values], dtype=np.int64
    )


def _leading17(value: str) -> str | None:
    """The 17 digits before the check character; a 15-digit form gains its "19"."""
    if len(value) == 18 and value[:17].isdigit():
        return value[:17]
    if len(value) == 15 and value.isdigit():
        return value[:6] + "19" + value[6:]
    return None


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
