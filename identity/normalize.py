"""Stage 1 of identity resolution: one raw source record in, one normalised record out.

Every field is parsed on its own; a field that cannot be used becomes missing and leaves
an ``Issue`` naming the field and the reason, so one bad field never costs the record
and no input, however malformed, raises. The record's own birth date and gender are
kept beside those the ID number encodes: when they disagree the record says so
(``birth_date_conflict``, ``gender_conflict``) and the later stages weigh the evidence,
rather than this one silently preferring either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import TypeVar

from identity.addresses import Address, parse_address
from identity.cleaning import take_text
from identity.dates import parse_date
from identity.gender import Gender, parse_gender
from identity.idnumber import IdNumber, parse_id_number
from identity.names import Name, parse_name
from identity.phones import Phone, parse_phone

T = TypeVar("T")
_KEY_LIMIT = 128


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A record as a department sent it; values are untrusted and may be of any type."""

    source: object
    source_id: object
    name: object = None
    id_number: object = None
    gender: object = None
    birth_date: object = None
    phone: object = None
    address: object = None
    household_key: object = None

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> RawRecord:
        """From a CSV row or JSON object; absent columns are missing, extra ones ignored."""
        return cls(*map(row.get, _RAW_FIELDS))


_RAW_FIELDS = tuple(field.name for field in fields(RawRecord))


@dataclass(frozen=True, slots=True)
class Issue:
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class NormalizedRecord:
    source: str
    source_id: str
    name: Name | None
    id_number: IdNumber | None
    gender: Gender  # as the record states it
    birth_date: date | None  # as the record states it
    phone: Phone | None
    address: Address | None
    household_key: str | None
    birth_date_conflict: bool  # the stated birth date differs from the ID number's
    gender_conflict: bool  # the stated gender differs from the ID number's
    issues: tuple[Issue, ...]

    def to_raw(self) -> RawRecord:
        """The canonical text of every field; normalising it gives this record back."""
        return RawRecord(
            source=self.source,
            source_id=self.source_id,
            name=self.name.text if self.name else None,
            id_number=self.id_number.value if self.id_number else None,
            gender=self.gender.value,
            birth_date=self.birth_date.isoformat() if self.birth_date else None,
            phone=self.phone.number if self.phone else None,
            address=self.address.standard() if self.address else None,
            household_key=self.household_key,
        )


def normalize_record(raw: RawRecord, today: date | None = None) -> NormalizedRecord:
    """Normalise one record; ``today`` bounds birth dates (default: the system date)."""
    today = today or date.today()
    issues: list[Issue] = []
    source = _key(issues, "source", raw.source, required=True)
    source_id = _key(issues, "source_id", raw.source_id, required=True)
    name = _field(issues, "name", parse_name, raw.name)
    id_number = _field(issues, "id_number", parse_id_number, raw.id_number, today)
    gender = _field(issues, "gender", parse_gender, raw.gender) or Gender.UNKNOWN
    birth_date = _field(issues, "birth_date", parse_date, raw.birth_date, today)
    phone = _field(issues, "phone", parse_phone, raw.phone)
    address = _field(issues, "address", parse_address, raw.address)
    household_key = _key(issues, "household_key", raw.household_key) or None
    birth_date_conflict = gender_conflict = False
    if id_number is not None and id_number.readable:
        if birth_date is not None and birth_date != id_number.birth_date:
            birth_date_conflict = True
            issues.append(Issue("birth_date", f"differs from {id_number.birth_date} in the ID"))
        if gender is not Gender.UNKNOWN and gender is not id_number.gender:
            gender_conflict = True
            issues.append(Issue("gender", f"differs from {id_number.gender} in the ID"))
    return NormalizedRecord(
        source,
        source_id,
        name,
        id_number,
        gender,
        birth_date,
        phone,
        address,
        household_key,
        birth_date_conflict,
        gender_conflict,
        tuple(issues),
    )


def normalize_records(
    raws: Iterable[RawRecord], today: date | None = None
) -> Iterator[NormalizedRecord]:
    """Normalise records lazily, in order."""
    today = today or date.today()
    for raw in raws:
        yield normalize_record(raw, today)


def _field(
    issues: list[Issue],
    field: str,
    parse: Callable[..., tuple[T | None, str | None]],
    value: object,
    *args: object,
) -> T | None:
    """Run one parser; its reason becomes an issue, and so would a bug, never a crash."""
    if value is None:
        return None
    try:
        parsed, reason = parse(value, *args)
    except Exception as error:  # a parser bug must cost one field, not the whole batch
        issues.append(Issue(field, f"unexpected {type(error).__name__}: {error}"[:200]))
        return None
    if reason is not None:
        issues.append(Issue(field, reason))
    return parsed


def _key(issues: list[Issue], field: str, value: object, required: bool = False) -> str:
    """Keys are matched exactly, so an integer key is as good as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text, reason = take_text(value, _KEY_LIMIT)
    if reason is None and text is None and required:
        reason = "missing"
    if reason is not None:
        issues.append(Issue(field, reason))
    return text or ""
