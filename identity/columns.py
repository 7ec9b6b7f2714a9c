"""What the frame keeps of each normalised field: one row of plain values per record.

Two choices made here shape what later stages see:

- birth date and gender are the record's own when it states them and otherwise the
  ones its ID number encodes (valid or legacy numbers only: an invalid number's date
  may be the typo);
- an address is reduced to four depths (district, street, community, and within the
  community the block and the dwelling), so that a household comparison can ask
  "same room? same building? same community?" as one hierarchical question. Parts a
  platform leaves out (民政 writes no district, 卫健 no street) are missing, never
  different. A Latin address has no such fixed hierarchy and its parts come misspelt:
  its road, premises and locality are kept for fuzzy comparison, its house number and
  postcode for exact comparison, and its dwelling is postcode, road and house.

``record_row`` shapes one normalised record; the batch path (``identity.distinct``)
shapes each distinct value with the same functions.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from identity.addresses import Address
from identity.gender import Gender
from identity.idnumber import IdNumber, IdStatus
from identity.latin_addresses import LatinParts
from identity.names import Name
from identity.normalize import NormalizedRecord

Part = str | None
AddressParts = tuple[Part, Part, Part, Part, Part, Part, Part, Part, Part, Part]
ID_MISSING, ID_VALID, ID_LEGACY, ID_INVALID, ID_OTHER = 0, 1, 2, 3, 4
_STATUS = {
    IdStatus.VALID: ID_VALID, IdStatus.LEGACY: ID_LEGACY, IdStatus.INVALID: ID_INVALID,
    IdStatus.OTHER: ID_OTHER,
}  # fmt: skip
_GENDER = {Gender.MALE: 0, Gender.FEMALE: 1}
CHINESE, LATIN = 0, 1  # codes of the name_script column


class Row(NamedTuple):
    """What the frame keeps of one normalised record: plain values."""

    source: str
    source_id: str
    id_status: int
    id_value: str | None
    id17: str | None  # 17 leading digits, a 15-digit form with its "19" inserted
    valid_id: str | None
    other_id: str | None  # an identifier that is no resident ID
    name: str | None
    pinyin: str | None
    surname: str | None
    given: str | None
    name_script: int  # CHINESE, LATIN or -1
    birth: int  # YYYYMMDD or -1
    gender: int  # 0 male, 1 female, -1 unknown
    phone: str | None
    district: str | None
    street: str | None
    community: str | None
    block: str | None
    dwelling: str | None
    postcode: str | None  # the rest: Latin addresses only
    locality: str | None
    road: str | None
    house: str | None
    premises: str | None
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


def id_parts(number: IdNumber | None) -> tuple[int, str | None, str | None, str | None, str | None]:
    """(status, value, 17 leading digits, value if valid, value if other) of an ID number."""
    if number is None:
        return ID_MISSING, None, None, None, None
    status = _STATUS[number.status]
    value = number.value
    other = value if status == ID_OTHER else None
    return status, value, _leading17(value), value if number.valid else None, other


def name_parts(name: Name | None) -> tuple[str | None, str | None, str | None, str | None, int]:
    """(text, pinyin, surname pinyin, given-name pinyin, script) of a name."""
    if name is None:
        return None, None, None, None, -1
    script = LATIN if name.latin else CHINESE
    return name.text, name.pinyin, name.surname_pinyin or None, name.given_pinyin or None, script


def effective_birth_and_gender(
    born: date | None, gender: Gender, number: IdNumber | None
) -> tuple[int, int]:
    """The record's own birth date (YYYYMMDD) and gender code, else its ID number's."""
    if number is not None and number.readable:
        born = born or number.birth_date
        if gender is Gender.UNKNOWN and number.gender is not None:
            gender = number.gender
    day = born.year * 10_000 + born.month * 100 + born.day if born else -1
    return day, _GENDER.get(gender, -1)


def household_key(source: str, key: str | None) -> str | None:
    """Household numbers are compared within their source only."""
    return f"{source}\x1f{key}" if key else None


def address_parts(address: Address | None) -> AddressParts:
    """District, street, community; then block and dwelling inside the community; then a
    Latin address's postcode, locality, road, house and premises."""
    if address is None:
        return None, None, None, None, None, None, None, None, None, None
    if address.latin is not None:
        return _latin_address_parts(address.latin)
    local = address.key.rpartition("|")[2]
    community = address.community
    if community is None:  # outside the known structure: only the whole address counts
        dwelling = address.key if local else None
        return address.district, address.street, None, None, dwelling, *_NO_LATIN
    parts = (address.place, address.group, address.building)
    block = f"{community}|{'|'.join(part or '' for part in parts)}" if any(parts) else None
    # a dwelling needs its door: "板桥村3组" names a village group, shared by hundreds
    dwelling = f"{community}|{local}" if address.house or address.room else None
    return address.district, address.street, community, block, dwelling, *_NO_LATIN


_NO_LATIN = (None, None, None, None, None)


def _latin_address_parts(parts: LatinParts) -> AddressParts:
    """A Latin address's dwelling (for blocking and households) is its postcode, road and
    house (and unit); everything else is compared part by part, fuzzily."""
    door = parts.house and parts.road
    dwelling = f"{parts.postcode}|{parts.road}|{parts.house}/{parts.unit}" if door else None
    latin = (parts.postcode, parts.locality, parts.road, parts.house, parts.premises)
    return None, None, None, None, dwelling, *latin


def _leading17(value: str) -> str | None:
    """The 17 digits before the check character; a 15-digit form gains its "19"."""
    if len(value) == 18 and value[:17].isdigit():
        return value[:17]
    if len(value) == 15 and value.isdigit():
        return value[:6] + "19" + value[6:]
    return None
