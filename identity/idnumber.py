"""Resident ID numbers (身份证号, GB 11643-1999): cleaning, checksum, 15 → 18 upgrade.

An 18-character number is area (6) + birth date (8) + sequence (3, odd for men) + check
(1, ISO 7064 MOD 11-2 over the first 17 digits, "X" for ten). The legacy 15-digit form
has a two-digit year and no check character; upgrading inserts "19" after the area and
appends the check character.

Three outcomes matter downstream, so they are kept apart:

- ``VALID``: 18 characters, the check character agrees and the birth date is real.
  Two different valid numbers are two different people.
- ``LEGACY``: a 15-digit number with a real birth date, upgraded. Nothing confirms it (a
  typo still upgrades cleanly), so it must not carry the weight of a valid number.
- ``INVALID``: digits that fail the checksum or the date, or 14 to 19 digits (a
  resident ID with a digit dropped or added). Kept, because a number with one wrong
  digit is still evidence, but compared on its own weaker levels.
- ``OTHER``: any other identifier of 4 to 13 or 20 to 32 letters and digits, at least
  one a digit: a passport, a social security or another country's number (lengths in
  between are a resident ID gone wrong, such as ``42O8…`` with a letter O). It is no resident
  ID and says nothing of birth or gender, so it is compared only with other such
  identifiers, as an opaque string (``identity.compare.OtherIdComparison``); the
  contract needs no column of its own for it.

The area code is not checked: codes are retired and renamed (京山县 420821 became
京山市 420882 in 2018), and a check against today's table rejects real, older numbers.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul

from identity.cleaning import fold, is_placeholder, shown, take_text
from identity.gender import Gender

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_EARLIEST = date(1880, 1, 1)
_ZERO_OFFSET = ord("0") * sum(WEIGHTS)  # the sum over ASCII codes, less the sum over digits
_LIMIT = 64
_SEPARATORS = str.maketrans("", "", " -_")
_EIGHTEEN = re.compile(r"\d{17}[\dX]", re.ASCII)
_FIFTEEN = re.compile(r"\d{15}", re.ASCII)
_DIGITS = re.compile(r"\d{14,19}X?", re.ASCII)
_OTHER = re.compile(r"(?=[A-Z]*\d)(?:[\dA-Z]{4,13}|[\dA-Z]{20,32})", re.ASCII)
_COUNTING = "01234567890123456789012345"


class IdStatus(enum.StrEnum):
    VALID = "valid"
    LEGACY = "legacy"
    INVALID = "invalid"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A cleaned ID number; ``birth_date`` and ``gender`` only when ``VALID`` or ``LEGACY``."""

    value: str  # 18 characters unless INVALID, then the cleaned text
    status: IdStatus
    birth_date: date | None = None
    gender: Gender | None = None

    @property
    def valid(self) -> bool:
        return self.status is IdStatus.VALID

    @property
    def readable(self) -> bool:
        """A resident ID whose birth date and gender can be read (valid or legacy)."""
        return self.status is IdStatus.VALID or self.status is IdStatus.LEGACY


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {shown(first17)}")
    return _check(first17)


def _check(first17: str) -> str:
    return CHECK_CHARS[(sum(map(mul, first17.encode(), WEIGHTS)) - _ZERO_OFFSET) % 11]


def upgrade_15(number: str) -> str:
    """The 18-character form of a 15-digit number (born in the 1900s by definition)."""
    if len(number) != 15 or not number.isascii() or not number.isdigit():
        raise ValueError(f"expected 15 ASCII digits, got {shown(number)}")
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_character(first17)


def legacy_form(number: str) -> str:
    """The 15-digit form of an 18-character number: no century digits, no check."""
    if len(number) != 18:
        raise ValueError(f"expected 18 characters, got {shown(number)}")
    return number[:6] + number[8:17]


def parse_id_number(value: object, today: date | None = None) -> tuple[IdNumber | None, str | None]:
    """(ID number, reason or None), or (None, reason) when the value is no ID number at all.

    An ``INVALID`` number comes with the reason it is invalid.
    """
    if isinstance(value, str) and len(value) == 18 and _EIGHTEEN.fullmatch(value):
        text = value  # the common, clean case
    elif not isinstance(value, str) or len(value) > _LIMIT:
        return None, take_text(value, _LIMIT)[1]
    else:
        folded = fold(value)
        text = folded.translate(_SEPARATORS).upper()
        if not text:
            return None, None if not folded else f"placeholder {shown(folded)}"
        if "*" in text:
            return None, f"masked ID number {shown(text)}"
    if is_placeholder(text) or text in _COUNTING:
        return None, f"placeholder {shown(text)}"
    today = today or date.today()
    if _EIGHTEEN.fullmatch(text):
        born = _birth_date(text[6:14], today)
        if born is None:
            return IdNumber(text, IdStatus.INVALID), f"no possible birth date in {text}"
        expected = _check(text[:17])
        if text[17] != expected:
            reason = f"check character {text[17]}, expected {expected}"
            return IdNumber(text, IdStatus.INVALID), reason
        return IdNumber(text, IdStatus.VALID, born, _gender(text[16])), None
    if _FIFTEEN.fullmatch(text):
        born = _birth_date("19" + text[6:12], today)
        if born is None:
            return IdNumber(text, IdStatus.INVALID), f"no possible birth date in {text}"
        return IdNumber(upgrade_15(text), IdStatus.LEGACY, born, _gender(text[14])), None
    if _DIGITS.fullmatch(text):
        reason = f"{len(text)} characters, neither the 18- nor the 15-digit form"
        return IdNumber(text, IdStatus.INVALID), reason
    if _OTHER.fullmatch(text):
        return IdNumber(text, IdStatus.OTHER), None
    return None, f"not an ID number {shown(text)}"


@lru_cache(maxsize=1 << 16)  # birth dates repeat across a population's numbers
def _birth_date(digits: str, today: date) -> date | None:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if _EARLIEST <= born <= today else None


def _gender(digit: str) -> Gender:
    return Gender.MALE if (ord(digit) - 48) % 2 else Gender.FEMALE
