"""Resident ID numbers (身份证号, GB 11643-1999): check character, construction, validation.

An 18-character number is area (6) + birth date (8) + sequence (3, odd for men) + check (1).
The check character is ISO 7064 MOD 11-2 over the first 17 digits.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date
from itertools import chain
from operator import mul

from store.base import Gender

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(map(mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def make_id_number(area: str, birth_date: date, sequence: int) -> str:
    """Build an 18-character ID number; an odd ``sequence`` (1–999) marks a man."""
    if len(area) != 6 or not area.isdigit() or not area.isascii():
        raise ValueError(f"area must be 6 ASCII digits, got {area!r}")
    if not 1 <= sequence <= 999:
        raise ValueError(f"sequence must be within 1–999, got {sequence}")
    when = birth_date
    first17 = f"{area}{when.year:04d}{when.month:02d}{when.day:02d}{sequence:03d}"
    return first17 + check_character(first17)


def birth_date_of(id_number: str) -> date | None:
    """The birth date encoded in an 18-character ID number, or None when it is no date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_of(id_number: str) -> Gender:
    """Gender from the sequence digits: odd is male, even is female."""
    return Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE


def is_valid_id_number(s: str) -> bool:
    """True for a well-formed 18-character ID number: digits, a real birth date, right check."""
    if len(s) != 18 or not s[:17].isdigit() or not s[:17].isascii():
        return False
    if birth_date_of(s) is None:
        return False
    return s[17] == check_character(s[:17])


class IdNumberAllocator:
    """Hands out ID numbers that are unique across everything it has allocated.

    A slot is (area, birth date, gender); each holds 500 male and 499 female sequences.
    Within a slot the sequences are visited in a fixed scrambled order, so numbers look
    arbitrary but never repeat. A full slot moves the birth date one day later (earlier
    at the end of the range). Memory is two bytes per slot, whatever the population size.
    """

    _STRIDE = 211  # prime, so coprime with both 500 and 499

    def __init__(self, areas: Iterable[str], first_day: date, last_day: date) -> None:
        self._areas = {area: index for index, area in enumerate(dict.fromkeys(areas))}
        self._first = first_day.toordinal()
        self._days = last_day.toordinal() - self._first + 1
        if self._days <= 0:
            raise ValueError("last_day must not be before first_day")
        self._used = array("H", bytes(2 * 2 * self._days * len(self._areas)))

    def allocate(self, area: str, birth_date: date, gender: Gender) -> tuple[str, date]:
        """Return a fresh ID number and the birth date it encodes (moved only if full)."""
        area_index = self._areas.get(area)
        if area_index is None:
            raise ValueError(f"area {area!r} is not known to this allocator")
        day = birth_date.toordinal() - self._first
        if not 0 <= day < self._days:
            raise ValueError(f"birth date {birth_date} is outside the allocator's range")
        male = gender is Gender.MALE
        capacity = 500 if male else 499
        for candidate in chain(range(day, self._days), range(day - 1, -1, -1)):
            slot = ((area_index * self._days + candidate) << 1) | male
            used = self._used[slot]
            if used < capacity:
                self._used[slot] = used + 1
                scrambled = (slot * 7919 + used * self._STRIDE) % capacity
                sequence = 2 * scrambled + 1 if male else 2 * scrambled + 2
                when = date.fromordinal(self._first + candidate)
                return make_id_number(area, when, sequence), when
        raise RuntimeError(f"every sequence for area {area} is used")
